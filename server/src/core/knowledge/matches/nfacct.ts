import type { ExtensionSpec } from '../types.ts';

export const nfacct: ExtensionSpec = {
  kind: 'match',
  name: 'nfacct',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--nfacct-name']],
  hostDependent: 'the accounting object must exist on the host (nfacct add NAME) before the rule is added',
  summary: 'Count the matching packets and bytes in a named extended-accounting object.',
  doc: 'The match always succeeds; it only feeds the counters, which `nfacct get NAME` reads. Several rules may share one object.',
  example: 'iptables -A INPUT -p tcp --dport 80 -m nfacct --nfacct-name http-in',
  options: [
    {
      name: '--nfacct-name', negation: 'none', required: true,
      args: [{ name: 'name', type: 'string', min: 1, truncateAt: 31 }],
      summary: 'The accounting object to count into.',
    },
  ],
};

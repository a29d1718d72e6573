import type { ExtensionSpec } from '../types.ts';

export const helper: ExtensionSpec = {
  kind: 'match',
  name: 'helper',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--helper']],
  summary: 'Match packets of connections that a conntrack helper (ftp, sip, tftp…) set up or follows.',
  doc: 'Typically used to accept the RELATED data connections of one helper only. For a helper running on another port than its default, append the port: `ftp-2121`.',
  example: 'iptables -A FORWARD -m conntrack --ctstate RELATED -m helper --helper ftp -j ACCEPT',
  options: [
    {
      name: '--helper', negation: 'prefix', required: true,
      args: [{ name: 'name[-port]', type: 'helper-name', truncateAt: 29 }],
      summary: 'The helper\'s name, optionally followed by -port.',
      example: '--helper sip',
    },
  ],
};

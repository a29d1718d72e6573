import type { ExtensionSpec } from '../types.ts';

export const osf: ExtensionSpec = {
  kind: 'match',
  name: 'osf',
  families: ['ipv4'],
  protocols: ['tcp'],
  needsOneOf: [['--genre']],
  // measured (1.8.9, both backends): the kernel refuses it in OUTPUT and POSTROUTING (Invalid argument): it reads a SYN coming in
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  hostDependent: 'needs the xt_osf module; it only matches once fingerprints are loaded with nfnl_osf',
  summary: 'Guess the sender\'s operating system from its TCP SYN (passive OS fingerprinting).',
  doc: 'Window size, MSS, TCP options and their order, TTL and DF are compared with fingerprints loaded by `nfnl_osf -f /usr/share/xtables/pf.os`. Needs `-p tcp`.',
  example: 'iptables -A INPUT -p tcp -m osf --genre Linux --ttl 2 -j ACCEPT',
  options: [
    { name: '--genre', negation: 'prefix', required: true, args: [{ name: 'string', type: 'string', truncateAt: 31 }], summary: 'The operating system genre to match, such as Linux or Windows.' },
    {
      name: '--ttl', negation: 'none',
      args: [{ name: 'level', type: 'integer', max: 2 }],
      summary: 'How to compare the TTL: 0 exactly (same LAN), 1 at most the fingerprint\'s (routed), 2 not at all.',
    },
    {
      name: '--log', negation: 'none',
      args: [{ name: 'level', type: 'integer', max: 2 }],
      summary: 'Log guesses to the kernel log: 0 every match or unknown, 1 only the first, 2 every known match.',
    },
  ],
};

import type { ExtensionSpec } from '../types.ts';

export const hbh: ExtensionSpec = {
  kind: 'match',
  name: 'hbh',
  families: ['ipv6'],
  summary: 'Match the IPv6 Hop-by-Hop Options extension header: its length and the options it carries.',
  doc: 'Options are listed as `type[:length]` with numeric types (5 = router alert); at most 16. `-p 0` cannot test for this header: use this match.',
  example: 'ip6tables -A INPUT -m hbh --hbh-opts 5 -j ACCEPT',
  options: [
    { name: '--hbh-len', negation: 'prefix', args: [{ name: 'length', type: 'integer' }], summary: 'Match the total length of the header in octets.' },
    {
      name: '--hbh-opts', negation: 'none',
      args: [{ name: 'type[:length][,…]', type: 'ipv6-option-list', maxItems: 16 }],
      summary: 'Match when the header carries these options (numeric type, optional data length in octets).',
    },
  ],
};

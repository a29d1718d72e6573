import type { ExtensionSpec } from '../types.ts';

export const dst: ExtensionSpec = {
  kind: 'match',
  name: 'dst',
  families: ['ipv6'],
  summary: 'Match the IPv6 Destination Options extension header: its length and the options it carries.',
  doc: 'Options are listed as `type[:length]` with numeric types; at most 16.',
  example: 'ip6tables -A INPUT -m dst --dst-len 0 -j ACCEPT',
  options: [
    { name: '--dst-len', negation: 'prefix', args: [{ name: 'length', type: 'integer' }], summary: 'Match the total length of the header in octets.' },
    {
      name: '--dst-opts', negation: 'none',
      args: [{ name: 'type[:length][,…]', type: 'ipv6-option-list', maxItems: 16 }],
      summary: 'Match when the header carries these options (numeric type, optional data length in octets).',
      example: '--dst-opts 1:4,201',
    },
  ],
};

import type { ExtensionSpec } from '../types.ts';

export const iprange: ExtensionSpec = {
  kind: 'match',
  name: 'iprange',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--src-range', '--dst-range']],
  summary: 'Match a source or destination address within an arbitrary inclusive range.',
  doc: 'For ranges that are not one prefix, such as `192.168.1.10-192.168.1.50`. Addresses must be numeric; a reversed range is accepted but never matches.',
  example: 'iptables -A INPUT -m iprange --src-range 192.168.1.10-192.168.1.50 -j ACCEPT',
  options: [
    {
      name: '--src-range', negation: 'prefix',
      args: [{ name: 'from[-to]', type: 'address-range' }],
      summary: 'Match a source address from `from` to `to`, both included.',
    },
    {
      name: '--dst-range', negation: 'prefix',
      args: [{ name: 'from[-to]', type: 'address-range' }],
      summary: 'Match a destination address from `from` to `to`, both included.',
    },
  ],
};

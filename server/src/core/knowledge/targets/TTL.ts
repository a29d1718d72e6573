import type { ExtensionSpec } from '../types.ts';

export const TTL: ExtensionSpec = {
  kind: 'target',
  name: 'TTL',
  families: ['ipv4'],
  counterpart: { name: 'HL', options: { '--ttl-set': '--hl-set', '--ttl-dec': '--hl-dec', '--ttl-inc': '--hl-inc' } },
  terminating: false,
  tables: ['mangle'],
  needsOneOf: [['--ttl-set', '--ttl-dec', '--ttl-inc']],
  exclusive: [['--ttl-set', '--ttl-dec', '--ttl-inc']],
  summary: 'Set, lower or raise the IPv4 TTL, then continue. Mangle table only.',
  doc: 'Raising or resetting the TTL of packets that leave your network defeats loop protection: a routing loop then never ends. Only do it on links you control (hiding a router hop, tethering quirks).',
  example: 'iptables -t mangle -A POSTROUTING -o wwan0 -j TTL --ttl-set 65',
  options: [
    { name: '--ttl-set', negation: 'none', args: [{ name: 'value', type: 'ttl' }], summary: 'Set the TTL to the value (0–255).' },
    { name: '--ttl-dec', negation: 'none', args: [{ name: 'value', type: 'ttl', min: 1 }], summary: 'Lower the TTL by the value (1–255).' },
    { name: '--ttl-inc', negation: 'none', args: [{ name: 'value', type: 'ttl', min: 1 }], summary: 'Raise the TTL by the value (1–255).' },
  ],
};

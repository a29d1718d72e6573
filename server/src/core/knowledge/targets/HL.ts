import type { ExtensionSpec } from '../types.ts';

export const HL: ExtensionSpec = {
  kind: 'target',
  name: 'HL',
  families: ['ipv6'],
  counterpart: { name: 'TTL', options: { '--hl-set': '--ttl-set', '--hl-dec': '--ttl-dec', '--hl-inc': '--ttl-inc' } },
  terminating: false,
  tables: ['mangle'],
  needsOneOf: [['--hl-set', '--hl-dec', '--hl-inc']],
  exclusive: [['--hl-set', '--hl-dec', '--hl-inc']],
  summary: 'Set, lower or raise the IPv6 Hop Limit, then continue. Mangle table only.',
  doc: 'The IPv6 counterpart of TTL. Raising or resetting the hop limit on packets that leave your network defeats loop protection: only do it on links you control.',
  example: 'ip6tables -t mangle -A POSTROUTING -o wwan0 -j HL --hl-set 65',
  options: [
    { name: '--hl-set', negation: 'none', args: [{ name: 'value', type: 'ttl' }], summary: 'Set the hop limit to the value (0–255).' },
    { name: '--hl-dec', negation: 'none', args: [{ name: 'value', type: 'ttl', min: 1 }], summary: 'Lower the hop limit by the value (1–255).' },
    { name: '--hl-inc', negation: 'none', args: [{ name: 'value', type: 'ttl', min: 1 }], summary: 'Raise the hop limit by the value (1–255).' },
  ],
};

import type { ExtensionSpec } from '../types.ts';

export const ttl: ExtensionSpec = {
  kind: 'match',
  name: 'ttl',
  families: ['ipv4'],
  counterpart: { name: 'hl', options: { '--ttl-eq': '--hl-eq', '--ttl-gt': '--hl-gt', '--ttl-lt': '--hl-lt' } },
  needsOneOf: [['--ttl-eq', '--ttl-lt', '--ttl-gt']],
  exclusive: [['--ttl-eq', '--ttl-lt', '--ttl-gt']],
  summary: 'Match the IPv4 time-to-live field.',
  doc: 'IPv6 uses the hl match instead. A packet sent on the local link with TTL 255 still has 255 here; each router on the way lowers it by one.',
  example: 'iptables -A INPUT -m ttl --ttl-lt 5 -j DROP',
  options: [
    { name: '--ttl-eq', negation: 'prefix', args: [{ name: 'ttl', type: 'ttl' }], summary: 'Match when the TTL equals the value.' },
    { name: '--ttl-gt', negation: 'none', args: [{ name: 'ttl', type: 'ttl' }], summary: 'Match when the TTL is above the value.' },
    { name: '--ttl-lt', negation: 'none', args: [{ name: 'ttl', type: 'ttl' }], summary: 'Match when the TTL is below the value.' },
  ],
};

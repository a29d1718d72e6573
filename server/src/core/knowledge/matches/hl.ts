import type { ExtensionSpec } from '../types.ts';

export const hl: ExtensionSpec = {
  kind: 'match',
  name: 'hl',
  families: ['ipv6'],
  counterpart: { name: 'ttl', options: { '--hl-eq': '--ttl-eq', '--hl-gt': '--ttl-gt', '--hl-lt': '--ttl-lt' } },
  needsOneOf: [['--hl-eq', '--hl-lt', '--hl-gt']],
  exclusive: [['--hl-eq', '--hl-lt', '--hl-gt']],
  summary: 'Match the IPv6 Hop Limit field (the IPv6 counterpart of the TTL).',
  doc: 'Neighbour discovery messages are sent with hop limit 255, so `--hl-eq 255` shows they come from the local link.',
  example: 'ip6tables -A INPUT -p ipv6-icmp --icmpv6-type router-advertisement -m hl --hl-eq 255 -j ACCEPT',
  options: [
    { name: '--hl-eq', negation: 'prefix', args: [{ name: 'value', type: 'ttl' }], summary: 'Match when the hop limit equals the value.' },
    { name: '--hl-lt', negation: 'none', args: [{ name: 'value', type: 'ttl' }], summary: 'Match when the hop limit is below the value.' },
    { name: '--hl-gt', negation: 'none', args: [{ name: 'value', type: 'ttl' }], summary: 'Match when the hop limit is above the value.' },
  ],
};

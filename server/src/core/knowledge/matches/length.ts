import type { ExtensionSpec } from '../types.ts';

export const length: ExtensionSpec = {
  kind: 'match',
  name: 'length',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--length']],
  summary: 'Match the length of the packet: the whole IPv4 packet, or the IPv6 payload.',
  doc: 'A range is written `min:max`; either end may be left out. A reversed range is accepted but never matches.',
  example: 'iptables -A INPUT -p icmp -m length --length 1000: -j DROP',
  options: [
    {
      name: '--length', negation: 'prefix', required: true,
      args: [{ name: 'length[:length]', type: 'length-range' }],
      summary: 'Match this length, or an inclusive range (0–65535).',
      example: '--length 0:100',
    },
  ],
};

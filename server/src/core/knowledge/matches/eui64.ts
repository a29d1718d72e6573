import type { ExtensionSpec } from '../types.ts';

export const eui64: ExtensionSpec = {
  kind: 'match',
  name: 'eui64',
  families: ['ipv6'],
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  summary: 'Match when the lower 64 bits of the IPv6 source address were derived from the sender\'s Ethernet MAC (EUI-64).',
  doc: 'Compares the interface identifier of a stateless autoconfigured address with the source MAC of the frame, ignoring the universal/local bit. It has no options and only works for packets that arrived over Ethernet.',
  example: 'ip6tables -A INPUT -s 2001:db8:1::/64 -m eui64 -j ACCEPT',
  mistakes: ['Hosts using privacy (temporary) or stable-private addresses never match.'],
  options: [],
};

import type { ExtensionSpec } from '../types.ts';

export const realm: ExtensionSpec = {
  kind: 'match',
  name: 'realm',
  families: ['ipv4'],
  needsOneOf: [['--realm']],
  // measured (1.8.9): refused in PREROUTING, where no route is chosen yet
  chains: ['INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  summary: 'Match the routing realm the route of the packet carries (IPv4).',
  doc: 'The route is known only after the routing decision: not in PREROUTING. Realms are attached to routes (`ip route add … realm 10`), often by BGP daemons, to classify traffic by where it is routed. Names come from /etc/iproute2/rt_realms on the host and cannot take a mask.',
  example: 'iptables -A FORWARD -m realm --realm 10 -j ACCEPT',
  options: [{ name: '--realm', negation: 'prefix', required: true, args: [{ name: 'realm value[/mask]', type: 'group-or-mark', comparedUnderMask: true }], summary: 'The realm number (optionally masked) or name.' }],
};

import type { ExtensionSpec } from '../types.ts';

export const realm: ExtensionSpec = {
  kind: 'match',
  name: 'realm',
  families: ['ipv4'],
  needsOneOf: [['--realm']],
  summary: 'Match the routing realm the route of the packet carries (IPv4).',
  doc: 'Realms are attached to routes (`ip route add … realm 10`), often by BGP daemons, to classify traffic by where it is routed. Names come from /etc/iproute2/rt_realms on the host and cannot take a mask.',
  example: 'iptables -A FORWARD -m realm --realm 10 -j ACCEPT',
  options: [{ name: '--realm', negation: 'prefix', required: true, args: [{ name: 'realm value[/mask]', type: 'group-or-mark' }], summary: 'The realm number (optionally masked) or name.' }],
};

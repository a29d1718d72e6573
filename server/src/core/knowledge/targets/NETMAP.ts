import type { ExtensionSpec } from '../types.ts';

export const NETMAP: ExtensionSpec = {
  kind: 'target',
  name: 'NETMAP',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  tables: ['nat'],
  needsOneOf: [['--to']],
  summary: 'Map a whole network onto another one, address by address (1:1 NAT).',
  doc: 'The network bits come from --to, the host bits are kept. In PREROUTING and OUTPUT the destination is mapped, in POSTROUTING and INPUT the source.',
  example: 'iptables -t nat -A PREROUTING -d 10.5.0.0/24 -j NETMAP --to 192.168.5.0/24',
  options: [{ name: '--to', negation: 'none', required: true, args: [{ name: 'address[/mask]', type: 'address', overMax: 'clamps' }], summary: 'The network to map onto.' }],
};

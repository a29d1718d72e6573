import type { ExtensionSpec } from '../types.ts';

export const CHECKSUM: ExtensionSpec = {
  kind: 'target',
  name: 'CHECKSUM',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  tables: ['mangle'],
  needsOneOf: [['--checksum-fill']],
  summary: 'Compute the checksum of a packet that has none yet (checksum offload), for old clients that reject such packets.',
  doc: 'The classic case is an old DHCP client in a VM receiving replies from a virtual bridge with checksum offload. Only in the mangle table.',
  example: 'iptables -t mangle -A POSTROUTING -o virbr0 -p udp --dport 68 -j CHECKSUM --checksum-fill',
  options: [{ name: '--checksum-fill', negation: 'none', required: true, args: [], summary: 'Fill in the missing checksum.' }],
};

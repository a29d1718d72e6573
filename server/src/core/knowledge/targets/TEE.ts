import type { ExtensionSpec } from '../types.ts';

export const TEE: ExtensionSpec = {
  kind: 'target',
  name: 'TEE',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--gateway']],
  summary: 'Send a copy of the packet to a host on a directly connected network (traffic mirroring); the original continues.',
  doc: 'The copy is routed to the gateway as its next hop, so the gateway must be on a local link (or forward it on). Often used to feed an IDS or a capture box.',
  example: 'iptables -t mangle -A PREROUTING -i eth0 -j TEE --gateway 192.168.1.250',
  mistakes: ['0.0.0.0 and :: are not valid gateways: the kernel refuses them.'],
  options: [{ name: '--gateway', negation: 'none', required: true, args: [{ name: 'ipaddr', type: 'host' }], summary: 'The host that receives the copies.' }],
};

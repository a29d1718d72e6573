import type { ExtensionSpec } from '../types.ts';

export const REDIRECT: ExtensionSpec = {
  kind: 'target',
  name: 'REDIRECT',
  families: ['ipv4', 'ipv6'],
  terminating: true,
  tables: ['nat'],
  chains: ['PREROUTING', 'OUTPUT'],
  summary: 'Deliver the packet to this host itself, optionally to another local port (a transparent redirect).',
  doc: 'The destination becomes the main address of the incoming interface (127.0.0.1 or ::1 for locally generated packets); packets from an interface without an address are dropped. The packet is then the host\'s own: it crosses filter **INPUT** (not FORWARD) at the new port, which must be accepted there. With --to-ports the rule needs `-p tcp`, `udp`, `sctp` or `dccp`.',
  mistakes: ['Accepting the original port, or accepting in FORWARD: the redirected connection reaches INPUT at the port --to-ports names.'],
  example: 'iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128',
  options: [
    { name: '--to-ports', negation: 'none', args: [{ name: 'port[-port]', type: 'port-or-range-dash' }], summary: 'The local port or range, written first-last (needs -p tcp/udp/sctp/dccp).', example: '--to-ports 8080' },
    { name: '--random', negation: 'none', args: [], summary: 'Pick the port from the range at random.' },
  ],
};

import type { ExtensionSpec } from '../types.ts';

export const DNAT: ExtensionSpec = {
  kind: 'target',
  name: 'DNAT',
  needsOneOf: [['--to-destination']],
  families: ['ipv4', 'ipv6'],
  tables: ['nat'],
  chains: ['PREROUTING', 'OUTPUT'],
  terminating: true,
  summary: 'Rewrite the destination address (and port) of a new connection; later packets of it follow.',
  doc: 'DNAT runs before the routing decision, so the router then routes the packet to the new destination: it crosses **FORWARD** with the translated address and port, and needs an accept there.',
  example: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080',
  mistakes: [
    'Accepting the public port (80) in FORWARD instead of the translated one (8080).',
    'Forgetting `net.ipv4.ip_forward=1`: the rewritten packet is then never forwarded.',
  ],
  options: [
    {
      name: '--to-destination', negation: 'none', required: true,
      args: [{ name: '[ipaddr[-ipaddr]][:port[-port]]', type: 'nat-destination' }],
      summary: 'The new destination: an address or range, optionally a port or port range (the port needs `-p tcp` or `-p udp`).',
      example: '--to-destination 192.168.1.100:8080',
    },
    { name: '--random', negation: 'none', args: [], summary: 'Randomise the port mapping when a port range is given.' },
    { name: '--persistent', negation: 'none', args: [], summary: 'Give a client the same destination for every connection when a range is given.' },
  ],
};

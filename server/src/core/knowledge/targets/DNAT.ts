import type { ExtensionSpec } from '../types.ts';

export const DNAT: ExtensionSpec = {
  kind: 'target',
  name: 'DNAT',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--to-destination']],
  tables: ['nat'],
  chains: ['PREROUTING', 'OUTPUT'],
  terminating: true,
  summary: 'Rewrite the destination address (and port) of a new connection; the rest of the connection follows.',
  doc: 'DNAT runs before the routing decision, so the packet is then routed to the new destination: forwarded packets cross **FORWARD** with the translated address and port, and need an accept there. Replies are translated back by conntrack. With a port or port range, the rule needs `-p tcp`, `udp`, `sctp` or `dccp`.',
  example: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080',
  mistakes: [
    'Accepting the public port (80) in FORWARD instead of the translated one (8080).',
    'Forgetting `net.ipv4.ip_forward=1`: the rewritten packet is then never forwarded.',
    'Clients on the same LAN as the server need a matching SNAT/MASQUERADE (hairpin NAT), or the server answers them directly and the connection fails.',
    'A destination on 127.0.0.0/8 in PREROUTING: routing drops the translated packets unless `route_localnet=1` is set for the interface they arrive on; `::1` never works. `REDIRECT --to-ports` reaches a service listening on all addresses.',
  ],
  options: [
    {
      name: '--to-destination', negation: 'none', required: true,
      args: [{ name: '[ipaddr[-ipaddr]][:port[-port[/baseport]]]', type: 'nat-destination' }],
      summary: 'The new destination: an address or range, optionally a port or port range (IPv6 addresses with a port go in brackets).',
      doc: 'Without an address only the port changes; without a port only the address. A `/baseport` after a port range shifts ports by their distance from the base, mapping a range onto another range.',
      example: '--to-destination 192.168.1.100:8080',
    },
    { name: '--random', negation: 'none', args: [], summary: 'Pick the port from the range at random.' },
    { name: '--persistent', negation: 'none', args: [], summary: 'Give a client the same address of the range on every connection.' },
  ],
};

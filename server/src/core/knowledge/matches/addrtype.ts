import type { ExtensionSpec } from '../types.ts';

const types = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

export const addrtype: ExtensionSpec = {
  kind: 'match',
  name: 'addrtype',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--src-type', '--dst-type']],
  exclusive: [['--limit-iface-in', '--limit-iface-out']],
  summary: 'Match by what the routing table says an address is: LOCAL, BROADCAST, MULTICAST, UNICAST and so on.',
  doc: '`--dst-type LOCAL` catches packets for any address of this host, whichever interface it is on; Docker and kube-proxy use it to catch published ports. Type names are case-insensitive and may be shortened while unambiguous.',
  example: 'iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  options: [
    {
      name: '--src-type', negation: 'prefix',
      args: [{ name: 'type[,type…]', type: 'addrtype-list', values: types }],
      summary: 'Match when the source address has one of the listed types.',
      example: '-m addrtype --src-type BROADCAST,MULTICAST',
    },
    {
      name: '--dst-type', negation: 'prefix',
      args: [{ name: 'type[,type…]', type: 'addrtype-list', values: types }],
      summary: 'Match when the destination address has one of the listed types.',
      example: '-m addrtype --dst-type LOCAL',
    },
    {
      name: '--limit-iface-in', negation: 'none', args: [], excludes: ['--limit-iface-out'], chains: ['PREROUTING', 'INPUT', 'FORWARD'],
      summary: 'Only count addresses of the interface the packet came in on (PREROUTING, INPUT, FORWARD).',
    },
    {
      name: '--limit-iface-out', negation: 'none', args: [], excludes: ['--limit-iface-in'], chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
      summary: 'Only count addresses of the interface the packet goes out on (FORWARD, OUTPUT, POSTROUTING).',
    },
  ],
};

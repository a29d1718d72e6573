import { arg, m, match, mFixed } from '../define.ts';

/** Matches on addresses, interfaces and routing properties. */

export const multiport = match({
  name: 'multiport',
  needsOneOf: [['--source-ports', '--destination-ports', '--ports']],
  protocols: ['tcp', 'udp', 'udplite', 'dccp', 'sctp'],
  summary: 'Match several ports or port ranges in one rule (up to 15; a range counts as two).',
  doc: 'Needs `-p tcp`, `udp`, `udplite`, `dccp` or `sctp` before it. Ranges are written with a colon: `1024:65535`.',
  example: 'iptables -A INPUT -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT',
  options: [
    m('--source-ports', [arg('port-list', 'port[,port|,port:port]…')], 'Match when the source port is one of these.', { aliases: ['--sports'] }),
    m('--destination-ports', [arg('port-list', 'port[,port|,port:port]…')], 'Match when the destination port is one of these.', { aliases: ['--dports'] }),
    m('--ports', [arg('port-list', 'port[,port|,port:port]…')], 'Match when either the source or the destination port is one of these.'),
  ],
});

export const iprange = match({
  name: 'iprange',
  needsOneOf: [['--src-range', '--dst-range']],
  summary: 'Match a source or destination address within an arbitrary range.',
  doc: 'For ranges that are not a single prefix, such as `192.168.1.10-192.168.1.50`.',
  example: 'iptables -A INPUT -m iprange --src-range 192.168.1.10-192.168.1.50 -j ACCEPT',
  options: [
    m('--src-range', [arg('address-range', 'from[-to]')], 'Match a source address in this inclusive range.'),
    m('--dst-range', [arg('address-range', 'from[-to]')], 'Match a destination address in this inclusive range.'),
  ],
});

const addrTypes = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];
export const addrtype = match({
  name: 'addrtype',
  exclusive: [['--limit-iface-in', '--limit-iface-out']],
  needsOneOf: [['--src-type', '--dst-type']],
  summary: 'Match by the routing type of the source or destination address (LOCAL, BROADCAST, MULTICAST…).',
  doc: '`--dst-type LOCAL` matches packets for any address of this host, whatever the interface; Docker uses it to catch published ports.',
  example: 'iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER',
  options: [
    m('--src-type', [arg('enum-list', 'type[,type…]', { values: addrTypes })], 'Match when the source address has one of these types.'),
    m('--dst-type', [arg('enum-list', 'type[,type…]', { values: addrTypes })], 'Match when the destination address has one of these types.'),
    mFixed('--limit-iface-in', [], 'Only consider addresses of the incoming interface.'),
    mFixed('--limit-iface-out', [], 'Only consider addresses of the outgoing interface.'),
  ],
});

export const mac = match({
  name: 'mac',
  needsOneOf: [['--mac-source']],
  summary: 'Match the source Ethernet (MAC) address.',
  doc: 'Only meaningful for packets that came in on an Ethernet device: PREROUTING, INPUT and FORWARD.',
  example: 'iptables -A INPUT -m mac --mac-source 00:11:22:33:44:55 -j ACCEPT',
  chains: ['PREROUTING', 'INPUT', 'FORWARD'],
  options: [m('--mac-source', [arg('mac-address', 'XX:XX:XX:XX:XX:XX')], 'The source MAC address.')],
});

export const physdev = match({
  name: 'physdev',
  needsOneOf: [['--physdev-in', '--physdev-out', '--physdev-is-in', '--physdev-is-out', '--physdev-is-bridged']],
  summary: 'Match the bridge port a bridged packet entered or leaves through.',
  doc: 'Only for traffic crossing a Linux bridge with bridge-nf-call-iptables enabled.',
  example: 'iptables -A FORWARD -m physdev --physdev-in veth1 --physdev-is-bridged -j ACCEPT',
  options: [
    m('--physdev-in', [arg('interface', 'name[+]')], 'The bridge port the packet came in on.'),
    m('--physdev-out', [arg('interface', 'name[+]')], 'The bridge port the packet leaves through (FORWARD, OUTPUT, POSTROUTING).'),
    m('--physdev-is-in', [], 'Match when the packet entered through a bridge port.'),
    m('--physdev-is-out', [], 'Match when the packet leaves through a bridge port.'),
    m('--physdev-is-bridged', [], 'Match when the packet is being bridged, not routed.'),
  ],
});

export const pkttype = match({
  name: 'pkttype',
  needsOneOf: [['--pkt-type']],
  summary: 'Match the link-layer packet type: unicast, broadcast or multicast.',
  doc: 'Useful to drop broadcast noise before logging.',
  example: 'iptables -A INPUT -m pkttype --pkt-type broadcast -j DROP',
  options: [m('--pkt-type', [arg('enum', 'unicast|broadcast|multicast', { values: ['unicast', 'broadcast', 'multicast', 'host', 'otherhost'] })], 'The packet type.')],
});

export const devgroup = match({
  name: 'devgroup',
  needsOneOf: [['--src-group', '--dst-group']],
  summary: 'Match the device group of the incoming or outgoing interface.',
  doc: 'Groups are set with `ip link set DEV group N`; names come from /etc/iproute2/group.',
  example: 'iptables -A FORWARD -m devgroup --src-group 2 -j ACCEPT',
  options: [
    m('--src-group', [arg('mark', 'name|id[/mask]')], 'The group of the incoming interface.'),
    m('--dst-group', [arg('mark', 'name|id[/mask]')], 'The group of the outgoing interface.'),
  ],
});

export const realm = match({
  name: 'realm',
  needsOneOf: [['--realm']],
  families: ['ipv4'],
  summary: 'Match the routing realm of the packet (IPv4).',
  doc: 'Realms are assigned by routes (`ip route … realm N`).',
  example: 'iptables -A FORWARD -m realm --realm 10 -j ACCEPT',
  options: [m('--realm', [arg('mark', 'value[/mask]')], 'The realm, optionally masked.')],
});

export const rpfilter = match({
  name: 'rpfilter',
  summary: 'Reverse-path filter: match when a reply to the packet would leave by the interface it came in on.',
  doc: 'Spoofed sources fail this check. Only valid in the raw and mangle PREROUTING chains.',
  example: 'iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP',
  tables: ['raw', 'mangle'],
  chains: ['PREROUTING'],
  options: [
    mFixed('--loose', [], 'Accept any interface that has a route back, not only the incoming one.'),
    mFixed('--validmark', [], 'Use the packet mark in the reverse lookup.'),
    mFixed('--accept-local', [], 'Accept packets with local source addresses.'),
    mFixed('--invert', [], 'Match the packets that FAIL the check (to drop them).'),
  ],
});

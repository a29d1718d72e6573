/**
 * Protocol names `-p` accepts, with their numbers: the official names of Debian's
 * /etc/protocols plus the few names iptables itself knows (all, icmpv6, mh, ipv6-mh). iptables
 * lower-cases what it is given before the lookup, so the capitalised aliases of
 * /etc/protocols (IPSEC-ESP, OSPFIGP…) are not accepted; numbers 0–255 always are.
 */
export const protocolNames: readonly { name: string; number?: number; doc?: string }[] = [
  { name: 'all', number: 0, doc: 'Every protocol (the default without -p).' },
  { name: 'icmpv6', number: 58, doc: 'Another name iptables knows for ipv6-icmp.' },
  { name: 'mh', number: 135, doc: 'IPv6 Mobility Header; loads the mh match.' },
  { name: 'ipv6-mh', number: 135, doc: 'Another name iptables knows for the Mobility Header (does not load the mh match).' },
  { name: 'ip', number: 0, doc: 'Number 0: the same as all.' },
  { name: 'hopopt', number: 0, doc: 'IPv6 hop-by-hop options (0: with -p it means all).' },
  { name: 'icmp', number: 1, doc: 'ICMP (IPv4): ping, errors.' },
  { name: 'igmp', number: 2, doc: 'IPv4 multicast group membership.' },
  { name: 'ggp', number: 3 },
  { name: 'ipencap', number: 4 },
  { name: 'st', number: 5 },
  { name: 'tcp', number: 6, doc: 'Transmission Control Protocol.' },
  { name: 'egp', number: 8 },
  { name: 'igp', number: 9 },
  { name: 'pup', number: 12 },
  { name: 'udp', number: 17, doc: 'User Datagram Protocol.' },
  { name: 'hmp', number: 20 },
  { name: 'xns-idp', number: 22 },
  { name: 'rdp', number: 27 },
  { name: 'iso-tp4', number: 29 },
  { name: 'dccp', number: 33, doc: 'Datagram Congestion Control Protocol.' },
  { name: 'xtp', number: 36 },
  { name: 'ddp', number: 37 },
  { name: 'idpr-cmtp', number: 38 },
  { name: 'ipv6', number: 41, doc: 'IPv6 encapsulated in IPv4 (6in4, sit).' },
  { name: 'ipv6-route', number: 43, doc: 'IPv6 routing header.' },
  { name: 'ipv6-frag', number: 44, doc: 'IPv6 fragment header.' },
  { name: 'idrp', number: 45 },
  { name: 'rsvp', number: 46 },
  { name: 'gre', number: 47, doc: 'Generic Routing Encapsulation (tunnels, PPTP).' },
  { name: 'esp', number: 50, doc: 'IPsec Encapsulating Security Payload.' },
  { name: 'ah', number: 51, doc: 'IPsec Authentication Header.' },
  { name: 'skip', number: 57 },
  { name: 'ipv6-icmp', number: 58, doc: 'ICMPv6: ping, errors, neighbour discovery.' },
  { name: 'ipv6-nonxt', number: 59, doc: 'IPv6 no next header.' },
  { name: 'ipv6-opts', number: 60, doc: 'IPv6 destination options header.' },
  { name: 'rspf', number: 73 },
  { name: 'vmtp', number: 81 },
  { name: 'eigrp', number: 88 },
  { name: 'ospf', number: 89, doc: 'OSPF routing.' },
  { name: 'ax.25', number: 93 },
  { name: 'ipip', number: 94, doc: 'IPv4 in IPv4 tunnels.' },
  { name: 'etherip', number: 97 },
  { name: 'encap', number: 98 },
  { name: 'pim', number: 103, doc: 'Multicast routing.' },
  { name: 'ipcomp', number: 108, doc: 'IP payload compression.' },
  { name: 'vrrp', number: 112, doc: 'VRRP (keepalived).' },
  { name: 'l2tp', number: 115, doc: 'L2TPv3.' },
  { name: 'isis', number: 124 },
  { name: 'sctp', number: 132, doc: 'Stream Control Transmission Protocol.' },
  { name: 'fc', number: 133 },
  { name: 'mobility-header', number: 135, doc: 'IPv6 Mobility Header (use -p mh to load the mh match).' },
  { name: 'udplite', number: 136, doc: 'UDP-Lite.' },
  { name: 'mpls-in-ip', number: 137 },
  { name: 'manet', number: 138 },
  { name: 'hip', number: 139 },
  { name: 'shim6', number: 140 },
  { name: 'wesp', number: 141 },
  { name: 'rohc', number: 142 },
  { name: 'ethernet', number: 143 },
  { name: 'mptcp', number: 262 },
];

/** The protocol a name or number stands for (case-insensitive), or undefined. */
export function protocolNumber(value: string): number | undefined {
  const v = value.toLowerCase();
  if (/^(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/.test(v)) {
    const n = v.startsWith('0x') ? parseInt(v, 16) : v.length > 1 && v.startsWith('0') ? parseInt(v, 8) : Number(v);
    return n <= 255 ? n : undefined;
  }
  return protocolNames.find((p) => p.name === v)?.number;
}

/** The official /etc/protocols name of a number (what iptables-save prints), if any. */
export function protocolName(number: number): string | undefined {
  if (number === 0) return 'all';
  return protocolNames.find((p) => p.number === number && p.name !== 'icmpv6' && p.name !== 'mh' && p.name !== 'ipv6-mh')?.name;
}

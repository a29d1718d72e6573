import { arg, t, target } from '../define.ts';

/** Address and port translation. */

export const SNAT = target({
  name: 'SNAT',
  needsOneOf: [['--to-source']],
  terminating: true,
  tables: ['nat'],
  chains: ['POSTROUTING', 'INPUT'],
  summary: 'Rewrite the source address (and port) of a new connection to a fixed address.',
  doc: 'Runs after routing, in POSTROUTING. Replies are translated back by conntrack. For a dynamic address use MASQUERADE.',
  example: 'iptables -t nat -A POSTROUTING -o eth0 -s 192.168.1.0/24 -j SNAT --to-source 203.0.113.5',
  options: [
    t('--to-source', [arg('nat-destination', '[ipaddr[-ipaddr]][:port[-port]]')], 'The new source address or range, optionally a port range.', { required: true }),
    t('--random', [], 'Randomise the source port mapping.'),
    t('--random-fully', [], 'Fully randomise the source port mapping.'),
    t('--persistent', [], 'Give a client the same source address for every connection.'),
  ],
});

export const MASQUERADE = target({
  name: 'MASQUERADE',
  terminating: true,
  tables: ['nat'],
  chains: ['POSTROUTING'],
  summary: 'Rewrite the source to the address of the outgoing interface (for dynamic uplinks).',
  doc: 'Runs after the routing decision, in nat POSTROUTING. Connections are forgotten when the interface goes down, which suits DHCP and PPP uplinks.',
  example: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
  mistakes: ['Without `-o`, traffic between internal networks is masqueraded too.'],
  options: [
    t('--to-ports', [arg('port-or-range-dash', 'port[-port]')], 'Source ports to use (needs -p tcp/udp/sctp/dccp).'),
    t('--random', [], 'Randomise the source port mapping.'),
    t('--random-fully', [], 'Fully randomise the source port mapping.'),
  ],
});

export const REDIRECT = target({
  name: 'REDIRECT',
  terminating: true,
  tables: ['nat'],
  chains: ['PREROUTING', 'OUTPUT'],
  summary: 'Send the packet to this host itself, to a local port (a transparent proxy).',
  doc: 'The destination becomes the address of the incoming interface (127.0.0.1 for locally generated packets).',
  example: 'iptables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128',
  options: [
    t('--to-ports', [arg('port-or-range-dash', 'port[-port]')], 'The local port or range (needs -p tcp/udp/sctp/dccp).'),
    t('--random', [], 'Randomise the port mapping.'),
  ],
});

export const NETMAP = target({
  name: 'NETMAP',
  needsOneOf: [['--to']],
  terminating: true,
  tables: ['nat'],
  summary: 'Map a whole network onto another one, address by address (1:1 NAT).',
  doc: 'In PREROUTING/OUTPUT it maps destinations, in POSTROUTING/INPUT sources; the host part is kept.',
  example: 'iptables -t nat -A PREROUTING -d 10.5.0.0/24 -j NETMAP --to 192.168.5.0/24',
  options: [t('--to', [arg('address', 'address[/mask]')], 'The network to map to.', { required: true })],
});

export const DNPT = target({
  name: 'DNPT',
  needsOneOf: [['--src-pfx'], ['--dst-pfx']],
  families: ['ipv6'],
  tables: ['mangle'],
  chains: ['PREROUTING', 'OUTPUT'],
  summary: 'IPv6 destination prefix translation (stateless NPTv6).',
  doc: 'Translates the destination prefix; pair it with SNPT for the other direction.',
  example: 'ip6tables -t mangle -A PREROUTING -d 2001:db8:1::/64 -j DNPT --src-pfx 2001:db8:1::/64 --dst-pfx fd00::/64',
  options: [t('--src-pfx', [arg('address', 'prefix/length')], 'The prefix to translate from.'), t('--dst-pfx', [arg('address', 'prefix/length')], 'The prefix to translate to.')],
});

export const SNPT = target({
  name: 'SNPT',
  needsOneOf: [['--src-pfx'], ['--dst-pfx']],
  families: ['ipv6'],
  tables: ['mangle'],
  chains: ['INPUT', 'POSTROUTING'],
  summary: 'IPv6 source prefix translation (stateless NPTv6).',
  doc: 'Translates the source prefix; pair it with DNPT.',
  example: 'ip6tables -t mangle -A POSTROUTING -s fd00::/64 -j SNPT --src-pfx fd00::/64 --dst-pfx 2001:db8:1::/64',
  options: [t('--src-pfx', [arg('address', 'prefix/length')], 'The prefix to translate from.'), t('--dst-pfx', [arg('address', 'prefix/length')], 'The prefix to translate to.')],
});

import { arg, m, match, mFixed } from '../define.ts';

/** Matches for layer-4 headers; most are loaded by `-p NAME` alone. */

// tcp refuses a reversed range; the others swap it silently
const ports = (proto: string) => [
  m('--source-port', [arg(proto === 'tcp' ? 'port-range' : 'port-range-loose', 'port[:port]')], `Match the ${proto} source port, or an inclusive range \`first:last\` (an end may be left out).`, { aliases: ['--sport'], example: `-p ${proto} --sport 1024:65535` }),
  m('--destination-port', [arg(proto === 'tcp' ? 'port-range' : 'port-range-loose', 'port[:port]')], `Match the ${proto} destination port, or an inclusive range \`first:last\`.`, {
    aliases: ['--dport'],
    example: `-p ${proto} --dport 53`,
    mistakes: ['After a DNAT, FORWARD and INPUT see the translated port, not the one the client connected to.'],
  }),
];

export const udp = match({
  name: 'udp',
  implicitForProtocol: 'udp',
  protocols: ['udp'],
  summary: 'Match UDP source and destination ports. Loaded by `-p udp`.',
  doc: 'UDP has no connection handshake; conntrack still tracks "connections" by address and port pairs, so replies are ESTABLISHED.',
  example: 'iptables -A INPUT -p udp --dport 53 -j ACCEPT',
  options: ports('udp'),
});

export const udplite = match({
  name: 'udplite',
  implicitForProtocol: 'udplite',
  protocols: ['udplite'],
  summary: 'Match UDP-Lite ports. Loaded by `-p udplite`.',
  doc: 'Same options as the udp match, for the UDP-Lite protocol (136).',
  example: 'iptables -A INPUT -p udplite --dport 5004 -j ACCEPT',
  options: ports('udplite'),
});

export const sctp = match({
  name: 'sctp',
  implicitForProtocol: 'sctp',
  protocols: ['sctp'],
  summary: 'Match SCTP ports and chunk types. Loaded by `-p sctp`.',
  doc: 'Chunk flags are written after a colon; an upper-case flag letter must be set, a lower-case one clear.',
  example: 'iptables -A INPUT -p sctp --dport 3868 --chunk-types any INIT -j ACCEPT',
  options: [
    ...ports('sctp'),
    m('--chunk-types', [arg('enum', 'all|any|only', { values: ['all', 'any', 'only'] }), arg('string', 'chunktype[:flags][,…]')], 'Match packets by the SCTP chunk types they carry: all of, any of, or only the listed ones.'),
  ],
});

export const dccp = match({
  name: 'dccp',
  implicitForProtocol: 'dccp',
  protocols: ['dccp'],
  summary: 'Match DCCP ports, packet types and options. Loaded by `-p dccp`.',
  doc: 'Packet types: REQUEST, RESPONSE, DATA, ACK, DATAACK, CLOSEREQ, CLOSE, RESET, SYNC, SYNCACK, INVALID.',
  example: 'iptables -A INPUT -p dccp --dport 5004 --dccp-types REQUEST -j ACCEPT',
  options: [
    ...ports('dccp'),
    m('--dccp-types', [arg('enum-list', 'type[,type…]', { values: ['REQUEST', 'RESPONSE', 'DATA', 'ACK', 'DATAACK', 'CLOSEREQ', 'CLOSE', 'RESET', 'SYNC', 'SYNCACK', 'INVALID'] })], 'Match when the DCCP packet type is one of the listed ones.'),
    m('--dccp-option', [arg('integer', 'number', { min: 1, max: 255 })], 'Match when the DCCP option with this number is present.'),
  ],
});

export const icmp = match({
  name: 'icmp',
  needsOneOf: [['--icmp-type']],
  families: ['ipv4'],
  implicitForProtocol: 'icmp',
  protocols: ['icmp'],
  summary: 'Match the ICMP type and code (IPv4). Loaded by `-p icmp`.',
  doc: 'Types may be given by name (`echo-request`) or number, with an optional code (`3/4`). `iptables -p icmp -h` lists the names.',
  example: 'iptables -A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/second -j ACCEPT',
  mistakes: ['Dropping all ICMP breaks path MTU discovery: allow at least `fragmentation-needed` (type 3 code 4), or RELATED traffic.'],
  options: [m('--icmp-type', [arg('icmp-type', 'type[/code]|name')], 'Match this ICMP type (and code).', { example: '--icmp-type echo-request' })],
});

export const icmp6 = match({
  name: 'icmp6',
  families: ['ipv6'],
  implicitForProtocol: 'icmp6',
  protocols: ['ipv6-icmp', 'icmpv6', 'icmp6', '58'],
  summary: 'Match the ICMPv6 type and code. Loaded by `-p ipv6-icmp` (or `icmpv6`).',
  doc: 'IPv6 depends on ICMPv6 for neighbour discovery: a DROP policy on INPUT needs accepts for neighbour-solicitation, neighbour-advertisement and router-advertisement, or the host loses its neighbours.',
  example: 'ip6tables -A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT',
  options: [m('--icmpv6-type', [arg('icmpv6-type', 'type[/code]|name')], 'Match this ICMPv6 type (and code).', { example: '--icmpv6-type echo-request' })],
});

export const esp = match({
  name: 'esp',
  implicitForProtocol: 'esp',
  protocols: ['esp'],
  summary: 'Match the SPI of IPsec ESP packets.',
  doc: 'The Security Parameter Index identifies the IPsec security association.',
  example: 'iptables -A INPUT -p esp -m esp --espspi 500 -j ACCEPT',
  options: [m('--espspi', [arg('integer-range', 'spi[:spi]')], 'Match the ESP security parameter index, or a range of them.')],
});

export const ah = match({
  name: 'ah',
  implicitForProtocol: 'ah',
  protocols: ['ah'],
  protocolFamilies: ['ipv4'],
  summary: 'Match the SPI (and on IPv6 the length and reserved field) of IPsec AH headers.',
  doc: 'The Security Parameter Index identifies the IPsec security association.',
  example: 'iptables -A INPUT -p ah -m ah --ahspi 500 -j ACCEPT',
  options: [
    m('--ahspi', [arg('integer-range', 'spi[:spi]')], 'Match the AH security parameter index, or a range of them.'),
    m('--ahlen', [arg('integer', 'length')], 'Match the AH header length (IPv6 only).', { family: 'ipv6' }),
    m('--ahres', [], 'Match when the reserved field is zero (IPv6 only).', { family: 'ipv6', negation: 'none' }),
  ],
});

export const mh = match({
  name: 'mh',
  families: ['ipv6'],
  implicitForProtocol: 'mh',
  protocols: ['mh', 'ipv6-mh', '135'],
  summary: 'Match the Mobility Header type (IPv6).',
  doc: 'Types by number or name (binding-update, binding-acknowledgement, …); `ip6tables -p mh -h` lists them.',
  example: 'ip6tables -A INPUT -p mh --mh-type binding-update -j ACCEPT',
  options: [m('--mh-type', [arg('any', 'type[:type]')], 'Match this mobility header type, or a range.')],
});

export const ipcomp = match({
  name: 'ipcomp',
  protocols: ['ipcomp', '108'],
  needsOneOf: [],
  summary: 'Match the compression parameter index of IPComp packets (IPsec payload compression).',
  doc: 'Needs `-p ipcomp`.',
  example: 'iptables -A INPUT -p ipcomp -m ipcomp --ipcompspi 18 -j ACCEPT',
  options: [m('--ipcompspi', [arg('integer-range', 'spi[:spi]')], 'Match the compression parameter index, or a range.'), mFixed('--compres', [], 'Match when the reserved field is set.')],
});

import { arg, t, target } from '../define.ts';

/** Targets that change marks or header fields and let the packet continue. */

const markOps = (what: string) => [
  t('--set-xmark', [arg('mark', 'value[/mask]')], `Zero the bits of the mask in the ${what}, then XOR the value in.`),
  t('--set-mark', [arg('mark', 'value[/mask]')], `Set the ${what}: zero the masked bits, then OR the value in.`),
  t('--and-mark', [arg('hex-integer', 'bits')], `AND the ${what} with the bits.`),
  t('--or-mark', [arg('hex-integer', 'bits')], `OR the bits into the ${what}.`),
  t('--xor-mark', [arg('hex-integer', 'bits')], `XOR the bits into the ${what}.`),
];

export const MARK = target({
  name: 'MARK',
  exclusive: [['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark']],
  needsOneOf: [['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark']],
  terminating: false,
  summary: 'Set the packet\'s netfilter mark (for policy routing, tc, later rules), then continue.',
  doc: 'The mark stays inside this host. Policy routing reads it (`ip rule add fwmark …`); set it in mangle PREROUTING or OUTPUT so routing sees it.',
  example: 'iptables -t mangle -A PREROUTING -i eth1 -j MARK --set-mark 0x1',
  options: markOps('packet mark'),
});

export const CONNMARK = target({
  name: 'CONNMARK',
  needsOneOf: [['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark', '--save-mark', '--restore-mark']],
  terminating: false,
  summary: 'Set the connection\'s mark, or copy marks between the packet and its connection.',
  doc: '`--save-mark` stores the packet mark on the connection; `--restore-mark` copies it back onto later packets (mangle table only).',
  example: 'iptables -t mangle -A PREROUTING -j CONNMARK --restore-mark',
  options: [
    ...markOps('connection mark'),
    t('--save-mark', [], 'Copy the packet mark to the connection.'),
    t('--restore-mark', [], 'Copy the connection mark to the packet (mangle table).'),
    t('--nfmask', [arg('hex-integer', 'mask')], 'Mask for the packet mark when saving or restoring.'),
    t('--ctmask', [arg('hex-integer', 'mask')], 'Mask for the connection mark when saving or restoring.'),
    t('--mask', [arg('hex-integer', 'mask')], 'Both masks at once.'),
  ],
});

export const CONNSECMARK = target({
  name: 'CONNSECMARK',
  needsOneOf: [['--save', '--restore']],
  hostDependent: 'needs an SELinux policy on the host',
  terminating: false,
  tables: ['mangle', 'security'],
  summary: 'Copy SELinux security marks between packets and connections.',
  doc: 'Used with SECMARK on SELinux systems.',
  example: 'iptables -t security -A INPUT -m conntrack --ctstate NEW -j CONNSECMARK --save',
  options: [t('--save', [], 'Copy the packet\'s security mark to the connection.'), t('--restore', [], 'Copy the connection\'s security mark to the packet.')],
});

export const SECMARK = target({
  name: 'SECMARK',
  needsOneOf: [['--selctx']],
  hostDependent: 'the security context must exist in the host\'s SELinux policy',
  terminating: false,
  tables: ['mangle', 'security'],
  summary: 'Give the packet an SELinux security context.',
  doc: 'Only with an SELinux (or other LSM) policy that uses it.',
  example: 'iptables -t security -A INPUT -p tcp --dport 80 -j SECMARK --selctx system_u:object_r:http_packet_t:s0',
  options: [t('--selctx', [arg('string', 'security_context')], 'The security context.', { required: true })],
});

export const CLASSIFY = target({
  name: 'CLASSIFY',
  needsOneOf: [['--set-class']],
  terminating: false,
  chains: ['OUTPUT', 'FORWARD', 'POSTROUTING'],
  summary: 'Put the packet into a traffic-control (tc) class.',
  doc: 'The class is `major:minor` in hex, as tc names it.',
  example: 'iptables -t mangle -A POSTROUTING -o eth0 -p tcp --sport 22 -j CLASSIFY --set-class 1:10',
  options: [t('--set-class', [arg('any', 'major:minor')], 'The tc class.', { required: true })],
});

export const DSCP = target({
  name: 'DSCP',
  exclusive: [['--set-dscp', '--set-dscp-class']],
  needsOneOf: [['--set-dscp', '--set-dscp-class']],
  terminating: false,
  tables: ['mangle'],
  summary: 'Rewrite the DSCP field of the packet.',
  doc: 'By number (0–63) or class name (EF, AF41, CS1…).',
  example: 'iptables -t mangle -A POSTROUTING -p udp --dport 5060 -j DSCP --set-dscp-class EF',
  options: [
    t('--set-dscp', [arg('dscp', 'value')], 'The DSCP value.', { excludes: ['--set-dscp-class'] }),
    t('--set-dscp-class', [arg('dscp-class', 'class')], 'A DiffServ class.', { excludes: ['--set-dscp'] }),
  ],
});

export const TOS = target({
  name: 'TOS',
  exclusive: [['--set-tos', '--and-tos', '--or-tos', '--xor-tos']],
  needsOneOf: [['--set-tos', '--and-tos', '--or-tos', '--xor-tos']],
  terminating: false,
  tables: ['mangle'],
  summary: 'Rewrite the IPv4 TOS / IPv6 traffic class field.',
  doc: 'Symbolic names: Minimize-Delay, Maximize-Throughput, Maximize-Reliability, Minimize-Cost, Normal-Service.',
  example: 'iptables -t mangle -A OUTPUT -p tcp --dport 22 -j TOS --set-tos Minimize-Delay',
  options: [
    t('--set-tos', [arg('tos', 'value[/mask]|symbol')], 'The new value.'),
    t('--and-tos', [arg('hex-integer', 'bits')], 'AND the field with the bits.'),
    t('--or-tos', [arg('hex-integer', 'bits')], 'OR the bits into the field.'),
    t('--xor-tos', [arg('hex-integer', 'bits')], 'XOR the bits into the field.'),
  ],
});

export const TTL = target({
  name: 'TTL',
  exclusive: [['--ttl-set', '--ttl-dec', '--ttl-inc']],
  needsOneOf: [['--ttl-set', '--ttl-dec', '--ttl-inc']],
  families: ['ipv4'],
  terminating: false,
  tables: ['mangle'],
  summary: 'Set, raise or lower the IPv4 TTL.',
  doc: 'Raising the TTL can create routing loops that never end.',
  example: 'iptables -t mangle -A POSTROUTING -o eth0 -j TTL --ttl-set 64',
  options: [t('--ttl-set', [arg('ttl', 'value')], 'Set the TTL.'), t('--ttl-dec', [arg('ttl', 'value', { min: 1 })], 'Subtract from the TTL.'), t('--ttl-inc', [arg('ttl', 'value', { min: 1 })], 'Add to the TTL.')],
});

export const HL = target({
  name: 'HL',
  exclusive: [['--hl-set', '--hl-dec', '--hl-inc']],
  needsOneOf: [['--hl-set', '--hl-dec', '--hl-inc']],
  families: ['ipv6'],
  terminating: false,
  tables: ['mangle'],
  summary: 'Set, raise or lower the IPv6 hop limit.',
  doc: 'The IPv6 counterpart of TTL.',
  example: 'ip6tables -t mangle -A POSTROUTING -o eth0 -j HL --hl-set 64',
  options: [t('--hl-set', [arg('ttl', 'value')], 'Set the hop limit.'), t('--hl-dec', [arg('ttl', 'value', { min: 1 })], 'Subtract from it.'), t('--hl-inc', [arg('ttl', 'value', { min: 1 })], 'Add to it.')],
});

export const ECN = target({
  name: 'ECN',
  needsOneOf: [['--ecn-tcp-remove']],
  families: ['ipv4'],
  terminating: false,
  tables: ['mangle'],
  summary: 'Clear the ECN bits of TCP packets (work around broken middleboxes).',
  doc: 'Only `--ecn-tcp-remove` is supported.',
  example: 'iptables -t mangle -A POSTROUTING -p tcp -d 192.0.2.10 -j ECN --ecn-tcp-remove',
  options: [t('--ecn-tcp-remove', [], 'Remove the ECN bits from the TCP header.')],
});

export const TCPMSS = target({
  name: 'TCPMSS',
  exclusive: [['--set-mss', '--clamp-mss-to-pmtu']],
  needsOneOf: [['--set-mss', '--clamp-mss-to-pmtu']],
  terminating: false,
  protocols: ['tcp'],
  chains: ['FORWARD', 'OUTPUT', 'POSTROUTING'],
  summary: 'Rewrite the MSS of TCP SYN packets (the usual fix for PPPoE and tunnel MTU problems).',
  doc: 'The rule must only match SYN packets: `-p tcp --tcp-flags SYN,RST SYN`.',
  example: 'iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu',
  mistakes: ['Without `--tcp-flags SYN,RST SYN` the kernel refuses the rule.'],
  options: [
    t('--set-mss', [arg('integer', 'value')], 'Set the MSS to this value.', { excludes: ['--clamp-mss-to-pmtu'] }),
    t('--clamp-mss-to-pmtu', [], 'Set the MSS to the path MTU minus 40 (IPv4) or 60 (IPv6).', { excludes: ['--set-mss'] }),
  ],
});

export const TCPOPTSTRIP = target({
  name: 'TCPOPTSTRIP',
  terminating: false,
  tables: ['mangle'],
  protocols: ['tcp'],
  summary: 'Remove TCP options from segments.',
  doc: 'Options by name (mss, wscale, sack-permitted, sack, timestamp, md5) or number.',
  example: 'iptables -t mangle -A OUTPUT -p tcp -j TCPOPTSTRIP --strip-options timestamp',
  options: [t('--strip-options', [arg('tcp-option-list', 'option[,option…]')], 'The options to remove.')],
});

export const CHECKSUM = target({
  name: 'CHECKSUM',
  needsOneOf: [['--checksum-fill']],
  terminating: false,
  tables: ['mangle'],
  summary: 'Fill in a missing checksum (for old DHCP clients behind virtual NICs).',
  doc: 'Only `--checksum-fill` is supported.',
  example: 'iptables -t mangle -A POSTROUTING -p udp --dport 68 -j CHECKSUM --checksum-fill',
  options: [t('--checksum-fill', [], 'Compute and set the checksum.')],
});

export const HMARK = target({
  name: 'HMARK',
  needsOneOf: [['--hmark-mod']],
  exclusive: [['--hmark-spi-mask', '--hmark-sport-mask'], ['--hmark-spi-mask', '--hmark-dport-mask']],
  terminating: false,
  summary: 'Set the packet mark from a hash of its addresses and ports (spread flows over paths).',
  doc: 'The mark is `hash % mod + offset`.',
  example: 'iptables -t mangle -A PREROUTING -j HMARK --hmark-tuple src,dst --hmark-mod 4 --hmark-offset 10 --hmark-rnd 0xfeedcafe',
  options: [
    t('--hmark-tuple', [arg('enum-list', 'src,dst,sport,dport,spi,ct', { values: ['src', 'dst', 'sport', 'dport', 'spi', 'ct'] })], 'Fields to hash.'),
    t('--hmark-mod', [arg('integer', 'value')], 'Modulus (> 0).', { required: true }),
    t('--hmark-offset', [arg('integer', 'value')], 'Offset added to the result.'),
    t('--hmark-src-prefix', [arg('prefix-length', 'cidr')], 'Source prefix length used.'),
    t('--hmark-dst-prefix', [arg('prefix-length', 'cidr')], 'Destination prefix length used.'),
    t('--hmark-sport-mask', [arg('hex-integer', 'value')], 'Mask for the source port.'),
    t('--hmark-dport-mask', [arg('hex-integer', 'value')], 'Mask for the destination port.'),
    t('--hmark-spi-mask', [arg('hex-integer', 'value')], 'Mask for the SPI.'),
    t('--hmark-proto-mask', [arg('hex-integer', 'value')], 'Mask for the protocol.'),
    t('--hmark-rnd', [arg('hex-integer', 'value')], 'Random seed.'),
  ],
});

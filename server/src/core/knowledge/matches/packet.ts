import { arg, m, match, mFixed } from '../define.ts';

/** Matches on fields of the packet itself. */

export const length = match({
  name: 'length',
  needsOneOf: [['--length']],
  summary: 'Match the length of the layer-3 payload (the whole IP packet).',
  doc: 'A range is written `min:max`.',
  example: 'iptables -A INPUT -p icmp -m length --length 1000:65535 -j DROP',
  options: [m('--length', [arg('length-range', 'length[:length]')], 'The packet length or range.')],
});

export const ttl = match({
  name: 'ttl',
  exclusive: [['--ttl-eq', '--ttl-lt', '--ttl-gt']],
  needsOneOf: [['--ttl-eq', '--ttl-lt', '--ttl-gt']],
  families: ['ipv4'],
  summary: 'Match the IPv4 time-to-live field.',
  doc: 'IPv6 uses the `hl` match instead.',
  example: 'iptables -A INPUT -m ttl --ttl-lt 5 -j DROP',
  options: [
    m('--ttl-eq', [arg('ttl', 'ttl')], 'TTL equal to the value.'),
    mFixed('--ttl-gt', [arg('ttl', 'ttl')], 'TTL greater than the value.'),
    mFixed('--ttl-lt', [arg('ttl', 'ttl')], 'TTL less than the value.'),
  ],
});

export const hl = match({
  name: 'hl',
  exclusive: [['--hl-eq', '--hl-lt', '--hl-gt']],
  needsOneOf: [['--hl-eq', '--hl-lt', '--hl-gt']],
  families: ['ipv6'],
  summary: 'Match the IPv6 hop limit.',
  doc: 'The IPv6 counterpart of `ttl`.',
  example: 'ip6tables -A INPUT -p ipv6-icmp -m hl --hl-eq 255 -j ACCEPT',
  options: [
    m('--hl-eq', [arg('ttl', 'value')], 'Hop limit equal to the value.'),
    mFixed('--hl-lt', [arg('ttl', 'value')], 'Hop limit less than the value.'),
    mFixed('--hl-gt', [arg('ttl', 'value')], 'Hop limit greater than the value.'),
  ],
});

export const tos = match({
  name: 'tos',
  needsOneOf: [['--tos']],
  summary: 'Match the IPv4 TOS / IPv6 traffic class field.',
  doc: 'Symbolic names: Minimize-Delay, Maximize-Throughput, Maximize-Reliability, Minimize-Cost, Normal-Service.',
  example: 'iptables -A OUTPUT -m tos --tos Minimize-Delay -j ACCEPT',
  options: [m('--tos', [arg('tos', 'value[/mask]|symbol')], 'The field value (masked), or a symbolic name.')],
});

export const dscp = match({
  name: 'dscp',
  exclusive: [['--dscp', '--dscp-class']],
  needsOneOf: [['--dscp', '--dscp-class']],
  summary: 'Match the 6-bit DSCP field, by number or class name (EF, AF41, CS1…).',
  doc: 'The DSCP is the upper six bits of the TOS / traffic class byte.',
  example: 'iptables -A FORWARD -m dscp --dscp-class EF -j ACCEPT',
  options: [
    m('--dscp', [arg('dscp', 'value')], 'The DSCP value, 0–63 (decimal or hex).', { excludes: ['--dscp-class'] }),
    m('--dscp-class', [arg('dscp-class', 'class')], 'A DiffServ class name.', { excludes: ['--dscp'] }),
  ],
});

export const ecn = match({
  name: 'ecn',
  protocols: ['tcp'],
  needsOneOf: [['--ecn-tcp-cwr', '--ecn-tcp-ece', '--ecn-ip-ect']],
  summary: 'Match the ECN bits of the IP and TCP headers.',
  doc: 'CWR and ECE are TCP flags; ECT is a two-bit IP field (0–3).',
  example: 'iptables -A INPUT -p tcp -m ecn --ecn-tcp-ece -j ACCEPT',
  options: [
    m('--ecn-tcp-cwr', [], 'Match when the TCP CWR flag is set.'),
    m('--ecn-tcp-ece', [], 'Match when the TCP ECE flag is set.'),
    m('--ecn-ip-ect', [arg('integer', '0-3')], 'Match this value of the IP ECT field.'),
  ],
});

export const mark = match({
  name: 'mark',
  needsOneOf: [['--mark']],
  summary: 'Match the packet mark (the netfilter mark, set with `-j MARK`).',
  doc: 'Compares `mark & mask` with the value; the mark lives only inside this host.',
  example: 'iptables -A FORWARD -m mark --mark 0x2/0xff -j ACCEPT',
  options: [m('--mark', [arg('mark', 'value[/mask]')], 'Match when the mark, masked, equals the value.')],
});

export const tcpmss = match({
  name: 'tcpmss',
  needsOneOf: [['--mss']],
  protocols: ['tcp'],
  summary: 'Match the TCP MSS option of SYN packets.',
  doc: 'Only SYN and SYN/ACK segments carry an MSS option.',
  example: 'iptables -A INPUT -p tcp --syn -m tcpmss --mss 1:500 -j DROP',
  options: [m('--mss', [arg('integer-range', 'value[:value]', { max: 65535, ordered: true })], 'The MSS value or range.')],
});

export const string = match({
  name: 'string',
  exclusive: [['--string', '--hex-string']],
  needsOneOf: [['--string', '--hex-string'], ['--algo']],
  summary: 'Match a byte pattern anywhere in the packet (Boyer-Moore or KMP search).',
  doc: 'Searches packet contents between `--from` and `--to` offsets; costly on busy links and blind to data split across packets.',
  example: 'iptables -A FORWARD -p tcp --dport 80 -m string --algo bm --string "GET /admin" -j DROP',
  options: [
    mFixed('--algo', [arg('enum', 'bm|kmp', { values: ['bm', 'kmp'] })], 'The search algorithm.', { required: true }),
    mFixed('--from', [arg('integer', 'offset')], 'Start searching at this offset.'),
    mFixed('--to', [arg('integer', 'offset')], 'Stop searching at this offset.'),
    m('--string', [arg('string', 'pattern', { max: 128 })], 'The text to find.'),
    m('--hex-string', [arg('hex-string', 'pattern')], 'The bytes to find; hex between pipes, e.g. `|0d 0a|`.'),
    mFixed('--icase', [], 'Ignore case.'),
  ],
});

export const u32 = match({
  name: 'u32',
  needsOneOf: [['--u32']],
  summary: 'Match arbitrary 32-bit words of the packet against values (a small test language).',
  doc: 'Tests are `location & mask = value[:value]`, joined with `&&`; `@` follows header lengths.',
  example: 'iptables -A INPUT -m u32 --u32 "6 & 0xFF = 1" -j ACCEPT',
  options: [m('--u32', [arg('string', 'tests')], 'The tests, as one quoted argument.')],
});

export const bpf = match({
  name: 'bpf',
  hostDependent: 'a pinned eBPF object must exist on the host',
  summary: 'Match with a classic BPF program or a pinned eBPF object.',
  doc: 'The bytecode is usually produced by `nfbpf_compile`.',
  example: 'iptables -A OUTPUT -m bpf --bytecode "4,48 0 0 9,21 0 1 6,6 0 0 1,6 0 0 0" -j ACCEPT',
  options: [
    mFixed('--bytecode', [arg('string', 'code')], 'Classic BPF bytecode, comma-separated.'),
    mFixed('--object-pinned', [arg('string', 'path')], 'A pinned eBPF program (in /sys/fs/bpf).'),
  ],
});

export const comment = match({
  name: 'comment',
  needsOneOf: [['--comment']],
  summary: 'Attach a comment to the rule; it never affects matching.',
  doc: 'Up to 255 characters. Shown by iptables-save and `iptables -L`; the way to document a rule, since iptables files have no end-of-line comments.',
  example: 'iptables -A INPUT -p tcp --dport 22 -m comment --comment "ssh from anywhere" -j ACCEPT',
  options: [mFixed('--comment', [arg('string', 'text')], 'The comment text (quote it when it has spaces).')],
});

import { arg, m, match, mFixed } from '../define.ts';

/** Matches on connection tracking. */

export const state = match({
  name: 'state',
  needsOneOf: [['--state']],
  summary: 'Match the connection tracking state (older spelling of `-m conntrack --ctstate`).',
  doc: 'Still accepted and equivalent for INVALID, NEW, ESTABLISHED, RELATED and UNTRACKED; conntrack is the maintained interface and also knows SNAT and DNAT.',
  example: 'iptables -A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
  deprecatedBy: 'conntrack',
  options: [m('--state', [arg('state-list', 'state[,state…]')], 'Match any of the listed states: INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED.')],
});

export const helper = match({
  name: 'helper',
  needsOneOf: [['--helper']],
  summary: 'Match packets of connections handled by a conntrack helper (ftp, sip, …).',
  doc: 'With a port, as in `ftp-2121`, only the helper instance for that port matches.',
  example: 'iptables -A FORWARD -m helper --helper ftp -j ACCEPT',
  options: [m('--helper', [arg('string', 'name[-port]')], 'The helper name, optionally with its port.')],
});

export const connmark = match({
  name: 'connmark',
  needsOneOf: [['--mark']],
  summary: 'Match the mark stored on the connection (set with `-j CONNMARK`).',
  doc: 'Compares `ctmark & mask` with the value.',
  example: 'iptables -A FORWARD -m connmark --mark 0x1/0xff -j ACCEPT',
  options: [m('--mark', [arg('mark', 'value[/mask]')], 'Match when the connection mark, masked, equals the value.')],
});

export const connbytes = match({
  name: 'connbytes',
  needsOneOf: [['--connbytes'], ['--connbytes-dir'], ['--connbytes-mode']],
  summary: 'Match how many bytes or packets a connection has moved so far.',
  doc: 'Counts in the direction(s) chosen; useful to treat long downloads differently from interactive traffic.',
  example: 'iptables -A POSTROUTING -t mangle -m connbytes --connbytes 10000: --connbytes-dir both --connbytes-mode bytes -j CLASSIFY --set-class 1:20',
  options: [
    m('--connbytes', [arg('integer-range', 'from[:to]', { ordered: true })], 'The range of the counter that matches.', { required: true }),
    mFixed('--connbytes-dir', [arg('enum', 'original|reply|both', { values: ['original', 'reply', 'both'] })], 'Which direction to count.', { required: true }),
    mFixed('--connbytes-mode', [arg('enum', 'packets|bytes|avgpkt', { values: ['packets', 'bytes', 'avgpkt'] })], 'Count packets, bytes, or the average packet size.', { required: true }),
  ],
});

export const connlimit = match({
  name: 'connlimit',
  exclusive: [['--connlimit-upto', '--connlimit-above'], ['--connlimit-saddr', '--connlimit-daddr']],
  needsOneOf: [['--connlimit-upto', '--connlimit-above']],
  summary: 'Match on the number of connections a source (or source network) already has.',
  doc: 'Groups clients by the mask given; counts tracked connections of the same protocol.',
  example: 'iptables -A INPUT -p tcp --syn --dport 22 -m connlimit --connlimit-above 3 -j REJECT',
  options: [
    mFixed('--connlimit-upto', [arg('integer', 'n')], 'Match while the count is at most n.'),
    mFixed('--connlimit-above', [arg('integer', 'n')], 'Match when the count is above n.'),
    mFixed('--connlimit-mask', [arg('prefix-length', 'prefix_length')], 'Group addresses by this prefix length (32 or 128 means per host).'),
    mFixed('--connlimit-saddr', [], 'Group by source address (the default).'),
    mFixed('--connlimit-daddr', [], 'Group by destination address.'),
  ],
});

export const connlabel = match({
  name: 'connlabel',
  hostDependent: 'the label names come from /etc/xtables/connlabel.conf on the host',
  summary: 'Match (or set) a connection label.',
  doc: 'Labels are bits attached to a connection, named in connlabel.conf.',
  example: 'iptables -A INPUT -m connlabel --label trusted -j ACCEPT',
  options: [m('--label', [arg('string', 'name')], 'The label to test.'), mFixed('--set', [], 'Set the label when it is not set yet.')],
});

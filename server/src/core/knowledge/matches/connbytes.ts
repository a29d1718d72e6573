import type { ExtensionSpec } from '../types.ts';

export const connbytes: ExtensionSpec = {
  kind: 'match',
  name: 'connbytes',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--connbytes'], ['--connbytes-dir'], ['--connbytes-mode']],
  summary: 'Match on how much a connection has transferred so far: packets, bytes, or average packet size.',
  doc: 'Typical use: spot long downloads and put them in a low-priority traffic class. It needs connection accounting (`sysctl net.netfilter.nf_conntrack_acct=1`); connections created while it was off never match.',
  example: 'iptables -t mangle -A POSTROUTING -m connbytes --connbytes 10000000: --connbytes-dir both --connbytes-mode bytes -j CLASSIFY --set-class 1:30',
  mistakes: ['Without nf_conntrack_acct=1 the counters stay empty and the rule never matches.'],
  options: [
    {
      name: '--connbytes', negation: 'prefix', required: true,
      args: [{ name: 'from[:to]', type: 'integer-range', max: 18446744073709551615, ordered: true }],
      summary: 'The range of the counter that matches; without `to`, any amount from `from` up.',
      example: '--connbytes 500000:',
    },
    {
      name: '--connbytes-dir', negation: 'none', required: true,
      args: [{ name: 'original|reply|both', type: 'enum', values: ['original', 'reply', 'both'], valueDocs: { original: 'Count what the initiator sent.', reply: 'Count what came back.', both: 'Count both directions.' } }],
      summary: 'Which direction of the connection to count.',
    },
    {
      name: '--connbytes-mode', negation: 'none', required: true,
      args: [{ name: 'packets|bytes|avgpkt', type: 'enum', values: ['packets', 'bytes', 'avgpkt'], valueDocs: { packets: 'Number of packets.', bytes: 'Number of bytes.', avgpkt: 'Average packet size in bytes.' } }],
      summary: 'What to count: packets, bytes, or the average size of the packets so far.',
    },
  ],
};

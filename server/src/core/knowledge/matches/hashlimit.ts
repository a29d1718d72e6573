import type { ExtensionSpec } from '../types.ts';

export const hashlimit: ExtensionSpec = {
  kind: 'match',
  name: 'hashlimit',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--hashlimit-upto', '--hashlimit-above'], ['--hashlimit-name']],
  exclusive: [['--hashlimit-upto', '--hashlimit-above']],
  // measured (1.8.9, both backends, Linux 6.18 with HZ=250): 1/day with the default burst is refused
  credits: { rates: ['--hashlimit-upto', '--hashlimit-above'], burst: '--hashlimit-burst', bucket: 'hashlimit', notWith: '--hashlimit-rate-match' },
  summary: 'Rate-limit per group (per source address, per destination port…), with one token bucket for each group.',
  doc: 'Like `-m limit`, but a rule keeps a bucket per host, network or port as chosen with `--hashlimit-mode`, so one noisy client cannot use up everybody\'s allowance. Rates count packets (`100/second`) or bytes (`512kb/s`). The buckets are listed in /proc/net/ipt_hashlimit/NAME.',
  example: 'iptables -A INPUT -p tcp --dport 22 --syn -m hashlimit --hashlimit-above 10/minute --hashlimit-mode srcip --hashlimit-name ssh -j DROP',
  mistakes: ['Without --hashlimit-mode all packets share one bucket, which is just a costly -m limit.', 'The kernel refuses a slow rate with a burst whose credits overflow its counter: `--hashlimit-upto 1/day` with a burst of 2 everywhere, with the default of 5 on kernels built with HZ=250 or 1000 (a burst of 1 works).'],
  options: [
    {
      // measured (1.8.9, both backends): `! --hashlimit-upto` is taken as --hashlimit-above and the other way round
      name: '--hashlimit-upto', negation: 'prefix', excludes: ['--hashlimit-above'],
      args: [{ name: 'amount[/second|/minute|/hour|/day]', type: 'rate-or-bytes' }],
      summary: 'Match while the group\'s rate is at most this: packets per unit, or bytes per second written b/s, kb/s or mb/s in lower case (iptables reads `100KB/s` or `1mb/m` as packets), at most 32767mb/s.',
      example: '--hashlimit-upto 50/second',
    },
    {
      name: '--hashlimit-above', negation: 'prefix', excludes: ['--hashlimit-upto'],
      args: [{ name: 'amount[/second|/minute|/hour|/day]', type: 'rate-or-bytes' }],
      summary: 'Match when the group\'s rate is above this.',
      example: '--hashlimit-above 512kb/s',
    },
    {
      name: '--hashlimit-burst', negation: 'none',
      args: [{ name: 'amount', type: 'burst' }],
      summary: 'How many packets (or, with a byte rate, how many bytes) may pass at once before the rate applies.',
      default: '5',
    },
    {
      name: '--hashlimit-mode', negation: 'none',
      args: [{ name: 'srcip,srcport,dstip,dstport', type: 'enum-list', values: ['srcip', 'srcport', 'dstip', 'dstport'], valueDocs: { srcip: 'One bucket per source address (or network).', srcport: 'Per source port.', dstip: 'Per destination address (or network).', dstport: 'Per destination port.' } }],
      summary: 'What makes a group: any combination of srcip, srcport, dstip, dstport.',
      example: '--hashlimit-mode srcip,dstport',
    },
    {
      name: '--hashlimit-srcmask', negation: 'none',
      args: [{ name: 'prefix', type: 'prefix-length' }],
      summary: 'With srcip: group sources by networks of this prefix length (0–32, or 0–128 for IPv6).',
    },
    {
      name: '--hashlimit-dstmask', negation: 'none',
      args: [{ name: 'prefix', type: 'prefix-length' }],
      summary: 'With dstip: group destinations by networks of this prefix length.',
    },
    {
      name: '--hashlimit-name', negation: 'none', required: true,
      args: [{ name: 'name', type: 'string', min: 1, fileIn: '/proc/net/ipt_hashlimit' }],
      summary: 'Name of the hash table (also its file in /proc/net/ipt_hashlimit); rules with the same name share it.',
    },
    { name: '--hashlimit-htable-size', negation: 'none', args: [{ name: 'buckets', type: 'integer' }], summary: 'Number of buckets of the hash table.' },
    { name: '--hashlimit-htable-max', negation: 'none', args: [{ name: 'entries', type: 'integer' }], summary: 'Most groups the table holds.' },
    { name: '--hashlimit-htable-expire', negation: 'none', args: [{ name: 'msec', type: 'integer' }], summary: 'Milliseconds after which an idle group is forgotten.' },
    { name: '--hashlimit-htable-gcinterval', negation: 'none', args: [{ name: 'msec', type: 'integer' }], summary: 'Milliseconds between garbage collection runs.' },
    { name: '--hashlimit-rate-match', negation: 'none', args: [], summary: 'Classify flows by their measured rate (true/false against the given rate) instead of limiting them.' },
    {
      name: '--hashlimit-rate-interval', negation: 'none',
      args: [{ name: 'sec', type: 'integer', min: 1, max: 2147483647 }],
      summary: 'With --hashlimit-rate-match: how often, in seconds, the rate is sampled.',
    },
  ],
};

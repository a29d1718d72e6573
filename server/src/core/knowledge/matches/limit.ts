import type { ExtensionSpec } from '../types.ts';

export const limit: ExtensionSpec = {
  kind: 'match',
  name: 'limit',
  families: ['ipv4', 'ipv6'],
  // measured (1.8.9, Linux 6.18 with HZ=250): legacy refuses --limit 1/day with the default burst, nf_tables loads it
  credits: { rates: ['--limit'], burst: '--limit-burst', bucket: 'limit', legacyOnly: true },
  summary: 'Match at most a given average rate of packets (a token bucket): limit logging, pings, new connections.',
  doc: 'The rule matches up to `--limit-burst` packets at once, then at the average rate; packets over the limit simply do not match and go on to the next rule. One bucket is shared by all packets of the rule; for one bucket per client use -m hashlimit. The match cannot be negated: to act on the excess, match under the limit and handle the rest in the next rule.',
  example: 'iptables -A INPUT -p icmp --icmp-type echo-request -m limit --limit 5/second --limit-burst 10 -j ACCEPT',
  mistakes: [
    '`-m limit … -j DROP` drops the packets under the limit and lets the flood through: accept under the limit, drop after it.',
    'The rate can be at most 10000/second.',
    'iptables-legacy\'s kernel refuses a slow rate with a burst whose credits overflow its counter: `--limit 1/day` with the default burst of 5 (a burst of 1 works).',
  ],
  options: [
    {
      name: '--limit', negation: 'none',
      args: [{ name: 'rate[/second|/minute|/hour|/day]', type: 'rate' }],
      summary: 'The average rate; the unit may be shortened to s, m, h or d.',
      default: '3/hour',
      example: '--limit 10/minute',
    },
    {
      name: '--limit-burst', negation: 'none',
      args: [{ name: 'number', type: 'integer', max: 10000 }],
      summary: 'How many packets may match in a row before the rate applies; refilled by one per period without a match.',
      default: '5',
    },
  ],
};

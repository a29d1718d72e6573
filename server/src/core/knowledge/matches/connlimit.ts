import type { ExtensionSpec } from '../types.ts';

export const connlimit: ExtensionSpec = {
  kind: 'match',
  name: 'connlimit',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--connlimit-upto', '--connlimit-above']],
  exclusive: [['--connlimit-upto', '--connlimit-above'], ['--connlimit-saddr', '--connlimit-daddr']],
  summary: 'Match on how many connections a client (or a client network) already has open.',
  doc: 'Counts the tracked connections per source address, or per source network with `--connlimit-mask`. Put it on the first packet of a connection (`--syn` or `--ctstate NEW`) so that existing connections are not cut.',
  example: 'iptables -A INPUT -p tcp --syn --dport 22 -m connlimit --connlimit-above 3 -j REJECT --reject-with tcp-reset',
  options: [
    {
      name: '--connlimit-upto', negation: 'none', excludes: ['--connlimit-above'],
      args: [{ name: 'n', type: 'integer' }],
      summary: 'Match while the number of connections is at most n.',
    },
    {
      name: '--connlimit-above', negation: 'prefix', excludes: ['--connlimit-upto'],
      args: [{ name: 'n', type: 'integer' }],
      summary: 'Match when the number of connections is above n.',
      example: '--connlimit-above 20',
    },
    {
      name: '--connlimit-mask', negation: 'none',
      args: [{ name: 'prefix_length', type: 'plen-or-mask' }],
      summary: 'Count per network of this prefix length instead of per address (0–32, or 0–128 for IPv6).',
      default: '32 (IPv4) / 128 (IPv6): per address',
      example: '--connlimit-mask 24',
    },
    { name: '--connlimit-saddr', negation: 'none', args: [], excludes: ['--connlimit-daddr'], summary: 'Group by source address (the default).' },
    { name: '--connlimit-daddr', negation: 'none', args: [], excludes: ['--connlimit-saddr'], summary: 'Group by destination address instead.' },
  ],
};

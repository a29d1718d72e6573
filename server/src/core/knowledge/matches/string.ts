import type { ExtensionSpec } from '../types.ts';

export const string: ExtensionSpec = {
  kind: 'match',
  name: 'string',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--algo'], ['--string', '--hex-string']],
  exclusive: [['--string', '--hex-string']],
  summary: 'Match a byte pattern anywhere in the packet (Boyer-Moore or Knuth-Morris-Pratt search).',
  doc: 'Searches each packet on its own, from the start of the IP header, between --from and --to: a pattern split over two packets is missed, and encrypted traffic never matches. Costly on busy links.',
  example: 'iptables -A FORWARD -p tcp --dport 80 -m string --algo bm --string "GET /admin" -j REJECT --reject-with tcp-reset',
  mistakes: ['Blocking by string is easy to evade (case, encoding, segmentation): use it for diagnostics, not security.'],
  options: [
    {
      name: '--algo', negation: 'none', required: true,
      args: [{ name: 'bm|kmp', type: 'enum', values: ['bm', 'kmp'], valueDocs: { bm: 'Boyer-Moore: fast for longer patterns.', kmp: 'Knuth-Morris-Pratt.' } }],
      summary: 'The search algorithm: bm (Boyer-Moore) or kmp (Knuth-Morris-Pratt).',
    },
    { name: '--from', negation: 'none', args: [{ name: 'offset', type: 'integer', max: 65535 }], summary: 'Start searching at this byte offset.', default: '0' },
    { name: '--to', negation: 'none', args: [{ name: 'offset', type: 'integer', max: 65535 }], summary: 'Stop searching before this byte offset.', default: 'the packet length' },
    {
      name: '--string', negation: 'prefix', excludes: ['--hex-string'],
      args: [{ name: 'pattern', type: 'string', max: 128 }],
      summary: 'The text to find (at most 128 bytes).',
    },
    {
      name: '--hex-string', negation: 'prefix', excludes: ['--string'],
      args: [{ name: 'pattern', type: 'hex-string', max: 128 }],
      summary: 'The bytes to find: text with hex bytes between pipes, such as `|0d 0a|`.',
      example: '--hex-string "|03|www|07|example|03|com|00|"',
    },
    { name: '--icase', negation: 'none', args: [], summary: 'Ignore upper/lower case.' },
  ],
};

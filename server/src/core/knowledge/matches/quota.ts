import type { ExtensionSpec } from '../types.ts';

export const quota: ExtensionSpec = {
  kind: 'match',
  name: 'quota',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--quota']],
  summary: 'Match until a number of bytes has passed; negated, match only after that.',
  doc: 'The counter belongs to the rule and counts down as packets match; reloading the rules starts it afresh.',
  example: 'iptables -A FORWARD -s 10.0.0.5 -m quota --quota 1000000000 -j ACCEPT',
  options: [{ name: '--quota', negation: 'prefix', required: true, args: [{ name: 'bytes', type: 'integer', max: 18446744073709551615 }], summary: 'The number of bytes (up to 2^64-1).' }],
};

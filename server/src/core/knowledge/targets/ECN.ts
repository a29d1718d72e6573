import type { ExtensionSpec } from '../types.ts';

export const ECN: ExtensionSpec = {
  kind: 'target',
  name: 'ECN',
  families: ['ipv4'],
  terminating: false,
  tables: ['mangle'],
  protocols: ['tcp', '6'],
  needsOneOf: [['--ecn-tcp-remove']],
  summary: 'Clear the ECN bits of TCP segments, to get past middleboxes that drop ECN traffic (IPv4, mangle table).',
  doc: 'Needs `-p tcp`. Mostly of historical interest: ECN black holes have become rare.',
  example: 'iptables -t mangle -A POSTROUTING -p tcp -d 192.0.2.10 -j ECN --ecn-tcp-remove',
  options: [{ name: '--ecn-tcp-remove', negation: 'none', required: true, args: [], summary: 'Remove the ECN bits (ECE, CWR) from the TCP header.' }],
};

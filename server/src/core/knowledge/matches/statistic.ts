import type { ExtensionSpec } from '../types.ts';

export const statistic: ExtensionSpec = {
  kind: 'match',
  name: 'statistic',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--mode']],
  exclusive: [['--probability', '--every'], ['--probability', '--packet']],
  summary: 'Match a random share of packets, or every n-th packet.',
  doc: 'kube-proxy spreads Service connections over endpoints with chains of `--mode random --probability` rules: with n endpoints, the k-th rule uses 1/(n-k+1) so that each gets the same share. The nth counter is shared by everything that reaches the rule.',
  example: 'iptables -t nat -A KUBE-SVC-X -m statistic --mode random --probability 0.5 -j KUBE-SEP-A',
  options: [
    {
      // measured (1.8.9, both backends): "--probability must be specified when using random mode",
      // "--every and --packet must be specified when using nth mode"
      name: '--mode', negation: 'none', required: true, needsByValue: { random: ['--probability'], nth: ['--every', '--packet'] },
      args: [{ name: 'random|nth', type: 'enum', values: ['random', 'nth'], valueDocs: { random: 'Match each packet with a probability (needs --probability).', nth: 'Match one packet out of n (needs --every and --packet).' } }],
      summary: 'Random sampling or every n-th packet.',
    },
    {
      name: '--probability', negation: 'prefix',
      args: [{ name: 'p', type: 'probability' }],
      summary: 'random mode: the chance, 0 to 1, that a packet matches (in steps of 1/2^31).',
      example: '--probability 0.25',
    },
    {
      name: '--every', negation: 'prefix', requires: ['--packet'],
      args: [{ name: 'n', type: 'integer', min: 1 }],
      summary: 'nth mode: match one packet out of every n.',
    },
    {
      name: '--packet', negation: 'none', requires: ['--every'], below: '--every',
      args: [{ name: 'p', type: 'integer' }],
      summary: 'nth mode: the starting value of the counter, 0 to n-1.',
    },
  ],
};

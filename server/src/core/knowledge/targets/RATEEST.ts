import type { ExtensionSpec } from '../types.ts';

export const RATEEST: ExtensionSpec = {
  kind: 'target',
  name: 'RATEEST',
  families: ['ipv4', 'ipv6'],
  terminating: false,
  needsOneOf: [['--rateest-name'], ['--rateest-interval'], ['--rateest-ewmalog']],
  summary: 'Measure the rate of the matching traffic in a named estimator (read by -m rateest), then continue.',
  doc: 'Works like a tc rate estimator: the rate is sampled every interval and averaged with the time constant given by --rateest-ewmalog.',
  example: 'iptables -t mangle -A POSTROUTING -o eth0 -j RATEEST --rateest-name eth0 --rateest-interval 250ms --rateest-ewmalog 0.5s',
  options: [
    { name: '--rateest-name', negation: 'none', required: true, args: [{ name: 'name', type: 'string', truncateAt: 15 }], summary: 'The estimator to count into (rules with the same name share it).' },
    // measured (1.8.9): past 8 s "interval value is too large"
    { name: '--rateest-interval', negation: 'none', required: true, args: [{ name: 'amount{s|ms|us}', type: 'duration', max: 8e6 }], summary: 'How often the rate is measured (at most 8 s; a number alone is microseconds).' },
    {
      name: '--rateest-ewmalog', negation: 'none', required: true, averagesOver: '--rateest-interval', args: [{ name: 'value', type: 'duration' }],
      summary: 'The averaging time constant: more than about 1.44 intervals (250ms with 0.5s works, 1s with 1s does not).',
    },
  ],
};

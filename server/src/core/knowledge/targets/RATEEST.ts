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
    { name: '--rateest-interval', negation: 'none', required: true, args: [{ name: 'amount{s|ms|us}', type: 'duration' }], summary: 'How often the rate is measured.' },
    { name: '--rateest-ewmalog', negation: 'none', required: true, args: [{ name: 'value', type: 'duration' }], summary: 'The averaging time constant.' },
  ],
};

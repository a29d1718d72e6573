import type { ExtensionSpec, OptionSpec } from '../types.ts';

const rate = (name: string, summary: string, pps = false): OptionSpec => ({
  name, negation: 'none', args: [{ name: 'value', type: pps ? 'integer' : 'bandwidth', optional: true }], summary,
});

export const rateest: ExtensionSpec = {
  kind: 'match',
  name: 'rateest',
  families: ['ipv4', 'ipv6'],
  needsOneOf: [['--rateest', '--rateest1']],
  hostDependent: 'the estimators must already exist: a RATEEST rule creates them',
  summary: 'Compare rates measured by RATEEST estimators: with a fixed value, or with each other.',
  doc: 'Absolute mode: `--rateest NAME`, an operator and `--rateest-bps`/`--rateest-pps` with a value. Relative mode: `--rateest1 A`, an operator, `--rateest2 B` and `--rateest-bps`/`-pps` without a value. With `--rateest-delta`, the free capacity (value minus measured rate) is compared instead.',
  example: 'iptables -t mangle -A balance -m rateest --rateest-delta --rateest1 eth0 --rateest-bps1 2.5mbit --rateest-gt --rateest2 ppp0 --rateest-bps2 2mbit -j CONNMARK --set-mark 1',
  options: [
    { name: '--rateest-delta', negation: 'none', args: [], summary: 'Compare the capacity left (value minus measured rate, at least 0) instead of the rate.' },
    { name: '--rateest-lt', negation: 'prefix', args: [], summary: 'Match when the first rate is less than the second.' },
    { name: '--rateest-gt', negation: 'prefix', args: [], summary: 'Match when the first rate is greater than the second.' },
    { name: '--rateest-eq', negation: 'prefix', args: [], summary: 'Match when the rates are equal.' },
    { name: '--rateest', negation: 'none', args: [{ name: 'name', type: 'string', truncateAt: 15 }], summary: 'The estimator of absolute mode.' },
    { name: '--rateest1', negation: 'none', args: [{ name: 'name', type: 'string', truncateAt: 15 }], summary: 'The first estimator of relative mode.' },
    { name: '--rateest2', negation: 'none', args: [{ name: 'name', type: 'string', truncateAt: 15 }], summary: 'The second estimator of relative mode.' },
    rate('--rateest-bps', 'Compare bytes per second (with a value in absolute mode, such as 10mbit).'),
    rate('--rateest-pps', 'Compare packets per second.', true),
    rate('--rateest-bps1', 'Bytes per second for the first estimator.'),
    rate('--rateest-bps2', 'Bytes per second for the second estimator.'),
    rate('--rateest-pps1', 'Packets per second for the first estimator.', true),
    rate('--rateest-pps2', 'Packets per second for the second estimator.', true),
  ],
};

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { undefinedRateEstimator } from './undefined-rate-estimator.ts';

const script = { dialect: 'script' as const };
const est = (name: string) => `-j RATEEST --rateest-name ${name} --rateest-interval 250ms --rateest-ewmalog 500ms`;
const mangleBlock = (name: string) => `*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 ${est(name)}\nCOMMIT\n`;
const filterBlock = (line: string) => `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${line} -j DROP\nCOMMIT\n`;

ruleTable(undefinedRateEstimator, {
  valid: [
    { code: mangleBlock('wan') + filterBlock('-m rateest --rateest wan --rateest-gt --rateest-bps 10mbit'), name: 'made above (the order iptables-save writes)' },
    { code: mangleBlock('wan') + mangleBlock('lan').replace('*mangle', '*raw') + filterBlock('-m rateest --rateest-delta --rateest1 wan --rateest-bps1 2mbit --rateest-gt --rateest2 lan --rateest-bps2 1mbit'), name: 'relative mode, both made above' },
    { code: filterBlock('-m rateest --rateest wan --rateest-gt --rateest-bps 10mbit'), name: 'no RATEEST at all: another file may make it' },
    { code: mangleBlock('lan') + filterBlock('-m rateest --rateest wanlink --rateest-gt --rateest-bps 10mbit'), name: 'a name nothing resembles' },
    { ...script, code: `iptables -t mangle -A PREROUTING ${est('uplink-estimator-A')}\nip6tables -A INPUT -m rateest --rateest uplink-estimator-B --rateest-gt --rateest-bps 1mbit -j DROP\n`, name: 'the same in its first 15 characters, made by iptables for ip6tables' },
    { ...script, code: `iptables -A INPUT -m rateest --rateest "$EST" --rateest-gt --rateest-bps 1mbit -j DROP\niptables -t mangle -A PREROUTING ${est('wan')}\n`, name: 'a name the shell expands' },
  ],
  invalid: [
    { code: filterBlock('-m rateest --rateest «wan» --rateest-gt --rateest-bps 10mbit') + mangleBlock('wan'), name: 'a restore file with its filter block first', severity: 'error' },
    { ...script, code: `iptables -A INPUT -m rateest --rateest «wan» --rateest-gt --rateest-bps 10mbit -j DROP\niptables -t mangle -A PREROUTING ${est('wan')}\n`, name: 'a script that makes it further down', severity: 'warning' },
    { code: mangleBlock('wan') + filterBlock('-m rateest --rateest «WAN» --rateest-gt --rateest-bps 10mbit'), name: 'letter case', severity: 'warning' },
    { code: mangleBlock('wan') + mangleBlock('lan').replace('*mangle', '*raw') + filterBlock('-m rateest --rateest-delta --rateest1 wan --rateest-bps1 2mbit --rateest-gt --rateest2 «lna» --rateest-bps2 1mbit'), name: 'the second estimator of relative mode misspelt' },
  ],
});

test('undefined-rate-estimator fix: the near name', () => {
  const { text, left } = fixFirst(undefinedRateEstimator, mangleBlock('wan') + filterBlock('-m rateest --rateest WAN --rateest-gt --rateest-bps 10mbit'));
  assert.equal(left, 0);
  assert.match(text, /--rateest wan --rateest-gt/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { rateEstimatorRedefined } from './rate-estimator-redefined.ts';

const script = { dialect: 'script' as const };
const est = (name: string, interval: string, ewma: string) => `-j RATEEST --rateest-name ${name} --rateest-interval ${interval} --rateest-ewmalog ${ewma}`;
const mangle = (lines: string[]) => `*mangle\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${lines.join('\n')}\nCOMMIT\n`;

ruleTable(rateEstimatorRedefined, {
  valid: [
    { code: mangle([`-A PREROUTING -i eth0 ${est('wan', '250ms', '500ms')}`, `-A POSTROUTING -o eth0 ${est('wan', '250ms', '500ms')}`]), name: 'the same timing' },
    { code: mangle([`-A PREROUTING ${est('wan', '250ms', '500ms')}`, `-A POSTROUTING ${est('wan', '200ms', '600ms')}`]), name: 'other words for the same estimator (200ms rounds up to 250ms, the same weight)' },
    { code: mangle([`-A PREROUTING ${est('wan', '250ms', '500ms')}`, `-A POSTROUTING ${est('lan', '1s', '2s')}`]), name: 'two estimators' },
    { ...script, code: `if [ "$A" ]; then\n  iptables -t mangle -A PREROUTING ${est('wan', '250ms', '500ms')}\nfi\niptables -t mangle -A POSTROUTING ${est('wan', '1s', '2s')}\n`, name: 'the first only under a condition' },
    { ...script, code: `iptables -t mangle -A PREROUTING ${est('wan', '250ms', '500ms')}\niptables -t mangle -F PREROUTING\niptables -t mangle -A POSTROUTING ${est('wan', '1s', '2s')}\n`, name: 'the first flushed before the second' },
    { ...script, code: `iptables -t mangle -A PREROUTING ${est('wan', '250ms', '500ms')}\niptables -t mangle -A POSTROUTING ${est('wan', '"$IVL"', '2s')}\n`, name: 'an interval the shell expands' },
  ],
  invalid: [
    { code: mangle([`-A PREROUTING -i eth0 ${est('wan', '250ms', '500ms')}`, `-A POSTROUTING -o eth0 -j RATEEST «--rateest-name wan» --rateest-interval 1s --rateest-ewmalog 2s`]), name: 'another interval', severity: 'error' },
    { code: mangle([`-A PREROUTING ${est('wan', '250ms', '500ms')}`, `-A POSTROUTING -j RATEEST «--rateest-name wan» --rateest-interval 250ms --rateest-ewmalog 1s`]), name: 'another ewmalog' },
    { ...script, code: `iptables -t mangle -A PREROUTING ${est('uplink-estimator-A', '250ms', '500ms')}\nip6tables -t raw -A PREROUTING -j RATEEST «--rateest-name uplink-estimator-B» --rateest-interval 1s --rateest-ewmalog 2s\n`, name: 'IPv6, another table, a name the same in its first 15 characters' },
  ],
});

test('rate-estimator-redefined fix: the first rule\'s interval and ewmalog', () => {
  const { text, left } = fixFirst(rateEstimatorRedefined, mangle([`-A PREROUTING ${est('wan', '250ms', '500ms')}`, `-A POSTROUTING ${est('wan', '1s', '2s')}`]));
  assert.equal(left, 0);
  assert.match(text, /-A POSTROUTING -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms/);
});

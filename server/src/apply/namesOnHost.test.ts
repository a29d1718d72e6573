import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namesOnHost } from './namesOnHost.ts';

const mangle = (rules: string[]) => `*mangle\n:PREROUTING ACCEPT [0:0]\n${rules.map((r) => `-A PREROUTING ${r}`).join('\n')}\nCOMMIT\n`;
const filter = (rules: string[]) => `*filter\n:INPUT ACCEPT [0:0]\n${rules.map((r) => `-A INPUT ${r}`).join('\n')}\nCOMMIT\n`;
const est = (name: string, interval: string, ewma: string) => `-j RATEEST --rateest-name ${name} --rateest-interval ${interval} --rateest-ewmalog ${ewma}`;
const timer = (label: string, timeout: number, extra = '') => `-j IDLETIMER --timeout ${timeout} --label ${label}${extra}`;
const hl = (settings: string, name = 'ssh') => `-p tcp --dport 22 -m hashlimit ${settings} --hashlimit-name ${name} -j DROP`;

/** [what the host holds, the new rules, refused, warned] */
const CASES: [string, string, string, number, number][] = [
  ['nothing loaded', '', mangle([est('wan', '250ms', '500ms')]) + filter([hl('--hashlimit-above 5/s')]), 0, 0],
  ['an estimator with the same timing (other words)', mangle([est('wan', '250.0ms', '500.0ms')]), mangle([est('wan', '200ms', '600ms')]), 0, 0],
  ['an estimator with other timing', mangle([est('wan', '250.0ms', '500.0ms')]), mangle([est('wan', '1s', '2s'), est('wan', '1s', '2s')]), 1, 0],
  ['another estimator', mangle([est('lan', '250.0ms', '500.0ms')]), mangle([est('wan', '1s', '2s')]), 0, 0],
  ['a hashlimit table with the same settings', filter([hl('--hashlimit-above 5/sec --hashlimit-burst 5')]), filter([hl('--hashlimit-above 300/minute --hashlimit-htable-expire 1000')]), 0, 0],
  ['a hashlimit table with another rate', filter([hl('--hashlimit-above 5/sec --hashlimit-burst 5')]), filter([hl('--hashlimit-above 10/s'), hl('--hashlimit-above 10/s')]), 0, 1],
  ['a hashlimit table of another name', filter([hl('--hashlimit-above 5/sec --hashlimit-burst 5')]), filter([hl('--hashlimit-above 10/s', 'ssh2')]), 0, 0],
  ['a hashlimit table with rate-match against a plain limit', filter([hl('--hashlimit-above 5/sec --hashlimit-burst 5 --hashlimit-rate-match')]), filter([hl('--hashlimit-above 5/s')]), 1, 0],
  ['an idle timer of the same kind, another timeout', mangle([timer('wlan0', 60)]), mangle([timer('wlan0', 5)]), 0, 0],
  ['a plain idle timer made an alarm timer', mangle([timer('wlan0', 60)]), mangle([timer('wlan0', 60, ' --alarm'), timer('wlan0', 5, ' --alarm')]), 1, 0],
  ['an alarm timer made a plain one', mangle([timer('wlan0', 60, ' --alarm')]), mangle([timer('wlan0', 60)]), 1, 0],
  ['another label', mangle([timer('wlan0', 60)]), mangle([timer('rmnet0', 60, ' --alarm')]), 0, 0],
];

test('the host\'s estimators and hashlimit tables against the new rules\': refused, warned, or nothing to say', () => {
  for (const [name, loaded, incoming, refused, warned] of CASES) {
    const r = namesOnHost(loaded, incoming, 'ipv4');
    assert.deepEqual([r.refused.length, r.warnings.length], [refused, warned], name);
  }
});

test('the messages name the loaded settings and the new ones', () => {
  const r = namesOnHost(filter([hl('--hashlimit-above 5/sec --hashlimit-burst 5')]), filter([hl('--hashlimit-above 10/s --hashlimit-burst 20')]), 'ipv4');
  for (const part of ['ssh', '--hashlimit-above 5/sec', '--hashlimit-burst 5', '--hashlimit-above 10/s', '--hashlimit-burst 20']) assert.ok(r.warnings[0].includes(part), part);
  const e = namesOnHost(mangle([est('wan', '250.0ms', '500.0ms')]), mangle([est('wan', '1s', '2s')]), 'ipv4');
  for (const part of ['wan', '--rateest-interval 250.0ms --rateest-ewmalog 500.0ms', '--rateest-interval 1s --rateest-ewmalog 2s']) assert.ok(e.refused[0].detail.includes(part), part);
  assert.equal(e.refused[0].check, 'hashlimit tables and rate estimators loaded');
  const t = namesOnHost(mangle([timer('wlan0', 60)]), mangle([timer('wlan0', 60, ' --alarm')]), 'ipv4');
  assert.equal(t.refused[0].check, 'idle timers loaded');
  for (const part of ['wlan0', 'a plain timer', 'an alarm timer']) assert.ok(t.refused[0].detail.includes(part), part);
});

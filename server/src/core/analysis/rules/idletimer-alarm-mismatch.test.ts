import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { idletimerAlarmMismatch } from './idletimer-alarm-mismatch.ts';

const script = { dialect: 'script' as const };
const timer = (label: string, extra = '') => `-j IDLETIMER --timeout 60 --label ${label}${extra}`;
const mangle = (lines: string[]) => `*mangle\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${lines.join('\n')}\nCOMMIT\n`;
const long = 'uplink-idle-timer-of-the-lte';

ruleTable(idletimerAlarmMismatch, {
  valid: [
    { code: mangle([`-A PREROUTING -i wlan0 ${timer('wlan0')}`, `-A POSTROUTING -o wlan0 ${timer('wlan0')}`]), name: 'two plain timers of one label' },
    { code: mangle([`-A PREROUTING ${timer('wlan0', ' --alarm')}`, `-A POSTROUTING -j IDLETIMER --timeout 5 --label wlan0 --alarm`]), name: 'two alarm timers, other timeouts' },
    { code: mangle([`-A PREROUTING ${timer('wlan0')}`, `-A POSTROUTING ${timer('rmnet0', ' --alarm')}`]), name: 'two labels' },
    { code: mangle([`-A PREROUTING ${timer(`${long}-a`)}`, `-A POSTROUTING ${timer(`${long.slice(0, 26)}x`, ' --alarm')}`]), name: 'labels that differ within their first 27 characters' },
    { ...script, code: `if [ "$WIFI" ]; then\n  iptables -t mangle -A PREROUTING ${timer('wlan0')}\nfi\niptables -t mangle -A POSTROUTING ${timer('wlan0', ' --alarm')}\n`, name: 'the first only under a condition' },
    { ...script, code: `iptables -t mangle -A PREROUTING ${timer('wlan0')}\niptables -t mangle -F PREROUTING\niptables -t mangle -A POSTROUTING ${timer('wlan0', ' --alarm')}\n`, name: 'the first flushed before the second' },
    { ...script, code: `iptables -t mangle -A PREROUTING ${timer('wlan0')}\niptables -t mangle -A POSTROUTING ${timer('"$IF"', ' --alarm')}\n`, name: 'a label the shell expands' },
  ],
  invalid: [
    { code: mangle([`-A PREROUTING -i wlan0 ${timer('wlan0')}`, `-A POSTROUTING -o wlan0 -j IDLETIMER --timeout 60 «--label wlan0» --alarm`]), name: 'an alarm timer on a plain one', severity: 'error' },
    { code: mangle([`-A PREROUTING ${timer('wlan0', ' --alarm')}`, `-A POSTROUTING -j IDLETIMER --timeout 60 «--label wlan0»`]), name: 'a plain timer on an alarm one' },
    { ...script, code: `iptables -t mangle -A PREROUTING ${timer(`${long}-a`)}\nip6tables -t raw -A PREROUTING -j IDLETIMER --timeout 60 «--label ${long}-b» --alarm\n`, name: 'IPv6, another table, a label the same in its first 27 characters' },
  ],
});

test('idletimer-alarm-mismatch fix: --alarm added or removed as the first rule has it', () => {
  const added = fixFirst(idletimerAlarmMismatch, mangle([`-A PREROUTING ${timer('wlan0', ' --alarm')}`, `-A POSTROUTING ${timer('wlan0')}`]));
  assert.equal(added.left, 0);
  assert.match(added.text, /-A POSTROUTING -j IDLETIMER --timeout 60 --label wlan0 --alarm\n/);
  const removed = fixFirst(idletimerAlarmMismatch, mangle([`-A PREROUTING ${timer('wlan0')}`, `-A POSTROUTING -j IDLETIMER --alarm --timeout 60 --label wlan0`]));
  assert.equal(removed.left, 0);
  assert.match(removed.text, /-A POSTROUTING -j IDLETIMER --timeout 60 --label wlan0\n/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { deprecatedStateMatch } from './deprecated-state-match.ts';

ruleTable(deprecatedStateMatch, {
  valid: [{ code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT') }],
  invalid: [
    { code: table('filter', '-A INPUT -m «state» --state ESTABLISHED,RELATED -j ACCEPT') },
    { code: 'iptables -A INPUT -m «state» --state NEW -p tcp --dport 22 -j ACCEPT\n', dialect: 'script' },
  ],
});

test('the rewrite is safe (applied by --fix) only for states both matches read alike', () => {
  const safe = (rule: string, dialect: 'save' | 'script' = 'save') => lintWith(deprecatedStateMatch, dialect === 'save' ? table('filter', rule) : rule, { dialect }).map((d) => d.fixes?.[0].safe === true);
  assert.deepEqual(safe('-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT'), [true]);
  assert.deepEqual(safe('-A INPUT -m state ! --state invalid,untracked,new -j ACCEPT'), [true]);
  // without --state the state match fails to load, where conntrack loads and matches all
  assert.deepEqual(safe('-A INPUT -m state -j ACCEPT'), [false]);
  // DNAT is a state of conntrack only
  assert.deepEqual(safe('-A INPUT -m state --state DNAT -j ACCEPT'), [false]);
  assert.deepEqual(safe('iptables -A INPUT -m state --state "$STATES" -j ACCEPT\n', 'script'), [false]);
  assert.deepEqual(safe('iptables -A INPUT -m state --state NEW -p tcp --dport 22 -j ACCEPT\n', 'script'), [true]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { helperScript } from '../../support/helperScripts.ts';

/** The rules of every chain, as their options and values give them (not where they are written, nor under which condition). */
function rulesOf(text: string): string[] {
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const out: string[] = [];
  for (const [key, table] of doc.ruleSet.tables) {
    for (const [name, chain] of table.chains) {
      for (const r of chain.rules) out.push(`${key} ${name}: ${r.options.map((o) => `${o.negated ? '! ' : ''}${o.name} ${o.values.map((v) => v.value).join(' ')}`).join(' ')}`);
    }
  }
  return out;
}

/**
 * The random scripts of helpers that compileHelpers.test.ts runs with the real sh (where the
 * model's rules are checked against the kernel's), made into init scripts: their top-level
 * calls moved into `start()`, written above the helpers it calls, and start run by a `case`
 * arm at the end, beside a usage message. Run with `start`, the script adds the same rules,
 * and the model must find them, with the same values, in the same order.
 */
test('random helper scripts made into init scripts (start() above its helpers, run by a case arm) give the same rules', () => {
  let compared = 0;
  for (let seed = 1; seed <= 200; seed++) {
    const { text, definitions, calls } = helperScript(seed);
    const init = ['#!/bin/sh', 'start() {', ...calls.map((c) => `  ${c}`), '}', ...definitions, 'case "$1" in', '  start|restart)', '    start', '    ;;', '  *)', '    echo "usage: $0 start|restart"', '    exit 1', '    ;;', 'esac', ''].join('\n');
    const expected = rulesOf(text);
    assert.ok(expected.length, `seed ${seed}: the script adds rules`);
    assert.deepEqual(rulesOf(init), expected, `seed ${seed}:\n${init}`);
    compared++;
  }
  assert.equal(compared, 200);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { appended } from '../../../server/src/core/model/tableState.ts';

/**
 * A list pushed to from empty takes room for 17 entries; the chains' lists were pushed to and
 * cut to length once the tables were complete, which left that room as old-generation garbage
 * (7.6–8.7 MB after opening the 100k-rule dump, 0.4–2.9 MB with short lists made at their
 * length, measured in fresh processes). An engine's list capacity cannot be read from a test:
 * this pins the growth that avoids it, and that the tables come out the same.
 */
test('a chain list of up to eight entries grows as a new list of its length; a longer one is pushed to', () => {
  let list: number[] = [];
  const seen = new Set<number[]>([list]);
  for (let i = 0; i < 8; i++) {
    const next = appended(list, i);
    assert.ok(!seen.has(next), `entry ${i}: a new list`);
    assert.equal(next.length, i + 1);
    seen.add(next);
    list = next;
  }
  const long = appended(list, 8);
  assert.equal(long, list);
  assert.deepEqual(long, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('chains with short and long lists hold every rule and declaration in order', () => {
  const rules = (chain: string, n: number) => Array.from({ length: n }, (_, i) => `-A ${chain} -s 10.0.${i}.0/24 -j ACCEPT`);
  const text = ['*filter', ':INPUT ACCEPT [0:0]', ':SHORT - [0:0]', ':LONG - [0:0]', ...rules('SHORT', 3), ...rules('LONG', 20), ...rules('SHORT', 2), 'COMMIT', ''].join('\n');
  const table = new FirewallDocument(text, { dialect: 'save' }).ruleSet.tables.get('ipv4:filter')!;
  assert.deepEqual(table.chains.get('SHORT')!.rules.map((r) => r.source?.value), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.0.0/24', '10.0.1.0/24']);
  assert.deepEqual(table.chains.get('LONG')!.rules.map((r) => r.source?.value), Array.from({ length: 20 }, (_, i) => `10.0.${i}.0/24`));
  assert.equal(table.chains.get('SHORT')!.declarations.length, 1);
});

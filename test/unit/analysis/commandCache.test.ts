import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandCache } from '../../../server/src/core/analysis/commandCache.ts';
import { rules } from '../../../server/src/core/analysis/registry.ts';

const generation = (c: CommandCache) => (c as unknown as { generation: number }).generation;

// The language server builds the severities afresh for each publish (the project file merged
// under the setting). Taking an equal object for a change dropped every cached finding, and a
// one-line edit of a 100k-rule dump went from ~20 ms to ~200 ms.
test('the per-command cache keeps its findings when the severities are equal but a new object', () => {
  const c = new CommandCache();
  c.begin(rules, { 'unused-chain': 'off', 'redundant-rule': 'warning' });
  const g = generation(c);
  c.begin(rules, { 'redundant-rule': 'warning', 'unused-chain': 'off' });
  assert.equal(generation(c), g);
  c.begin(rules, { 'unused-chain': 'off' });
  assert.notEqual(generation(c), g, 'one severity less');
  const h = generation(c);
  c.begin(rules, { 'unused-chain': 'error' });
  assert.notEqual(generation(c), h, 'another severity');
  const i = generation(c);
  c.begin(rules, undefined);
  assert.notEqual(generation(c), i, 'none');
  const j = generation(c);
  c.begin(rules, {});
  assert.equal(generation(c), j, 'none and empty are the same');
});

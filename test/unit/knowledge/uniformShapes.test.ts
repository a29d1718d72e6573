import assert from 'node:assert/strict';
import { test } from 'node:test';
import { genericOptions, matches, targets } from '../../../server/src/core/knowledge/index.ts';
import { genericOptions as writtenGeneric } from '../../../server/src/core/knowledge/generic.ts';
import * as writtenMatches from '../../../server/src/core/knowledge/matches/index.ts';
import * as writtenTargets from '../../../server/src/core/knowledge/targets/index.ts';

/**
 * The knowledge the product uses is a uniform copy of the written modules (one hidden class
 * per kind, see uniformShapes.ts). No field of a written spec may be lost in the copy, and
 * every copy of a kind has the same fields in the same order.
 */
function sameKeysEverywhere(kind: string, copies: readonly object[], written: readonly object[]): void {
  const keys = Object.keys(copies[0]).join(',');
  for (const c of copies) assert.equal(Object.keys(c).join(','), keys, `${kind}: one field order`);
  for (const w of written) {
    for (const [k, v] of Object.entries(w)) {
      if (v === undefined) continue;
      assert.ok(keys.split(',').includes(k), `${kind} field '${k}' of ${(w as { name?: string }).name} is not copied`);
    }
  }
}

test('uniform knowledge keeps every written field, in one order per kind', () => {
  const writtenExt = [...Object.values(writtenMatches), ...Object.values(writtenTargets)];
  const ext = [...matches, ...targets];
  sameKeysEverywhere('extension', ext, writtenExt);
  sameKeysEverywhere('option', ext.flatMap((e) => e.options), writtenExt.flatMap((e) => e.options));
  sameKeysEverywhere('generic option', genericOptions, writtenGeneric);
  const args = [...ext.flatMap((e) => e.options), ...genericOptions].flatMap((o) => o.args);
  sameKeysEverywhere('argument', args, [...writtenExt.flatMap((e) => e.options), ...writtenGeneric].flatMap((o) => o.args));
  assert.equal(ext.length, writtenExt.length);
  assert.equal(genericOptions.length, writtenGeneric.length);
});

test('the copies hold the same values as the written modules', () => {
  const byName = new Map([...matches, ...targets].map((e) => [`${e.kind}:${e.name}`, e]));
  for (const w of [...Object.values(writtenMatches), ...Object.values(writtenTargets)]) {
    const c = byName.get(`${w.kind}:${w.name}`)!;
    assert.deepEqual(JSON.parse(JSON.stringify(c)), JSON.parse(JSON.stringify(w)), w.name);
  }
});

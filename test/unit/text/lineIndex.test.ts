import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../../../server/src/core/text/lineIndex.ts';

test('the index after an edit equals the index of the new text', () => {
  const text = fc.array(fc.constantFrom('a', ' ', '\n', '\r', '-'), { maxLength: 40 }).map((cs) => cs.join(''));
  fc.assert(
    fc.property(text, fc.nat(), fc.nat(8), text, (before, pos, del, ins) => {
      const start = pos % (before.length + 1);
      const end = Math.min(before.length, start + del);
      const after = before.slice(0, start) + ins + before.slice(end);
      const edited = LineIndex.afterEdit(new LineIndex(before), { start, end, text: ins }, after);
      const fresh = new LineIndex(after);
      assert.deepEqual([...edited.lineStarts], [...fresh.lineStarts]);
      assert.equal(edited.length, fresh.length);
    }),
    { numRuns: 2000 },
  );
});

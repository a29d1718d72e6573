import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EditedText, type Edit } from './textAfterEdit.ts';

const old = 'abcdefghij';
const apply = (e: Edit) => old.slice(0, e.start) + e.text + old.slice(e.end);

test('every range of the edited text, read through the old one, equals the same range of the new text', () => {
  const edits: Edit[] = [
    { start: 3, end: 3, text: 'XY' }, // insertion
    { start: 3, end: 6, text: '' }, // deletion
    { start: 2, end: 5, text: 'Q' }, // replacement, shorter
    { start: 2, end: 3, text: 'QRSTU' }, // replacement, longer
    { start: 0, end: 0, text: '#' }, // at the start
    { start: 10, end: 10, text: '\n' }, // at the end
    { start: 0, end: 10, text: 'new' }, // everything
  ];
  for (const e of edits) {
    const edited = apply(e);
    for (let from = 0; from <= edited.length; from++) {
      for (let to = from; to <= edited.length; to++) {
        assert.equal(new EditedText(old, [e]).read(from, to), edited.slice(from, to), `${JSON.stringify(e)} [${from}, ${to})`);
      }
    }
  }
});

test('a text read through several edits equals the text the edits make, for every range', () => {
  const edits: Edit[] = [
    { start: 3, end: 3, text: 'XY' },
    { start: 0, end: 2, text: '' },
    { start: 5, end: 9, text: '-new-' },
    { start: 11, end: 11, text: '\n' },
    { start: 4, end: 6, text: 'q' },
  ];
  let edited = new EditedText(old);
  let expected = old;
  for (const e of edits) {
    edited = edited.with(e);
    expected = expected.slice(0, e.start) + e.text + expected.slice(e.end);
    assert.equal(edited.length, expected.length);
    for (let from = 0; from <= expected.length; from++) {
      for (let to = from; to <= expected.length + 2; to++) assert.equal(edited.read(from, to), expected.slice(from, to), `after ${edited.edits.length} edits [${from}, ${to})`);
    }
  }
});

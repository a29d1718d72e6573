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
    for (let at = -1; at <= edited.length; at++) assert.deepEqual(new EditedText(old, [e]).charCodeAt(at), edited.charCodeAt(at), `${JSON.stringify(e)} at ${at}`);
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
    for (let at = 0; at <= expected.length; at++) assert.deepEqual(edited.charCodeAt(at), expected.charCodeAt(at), `after ${edited.edits.length} edits, at ${at}`);
  }
});

test('typing in one place keeps one edit: a character typed after the last, one taken back, one typed inside it', () => {
  const steps: Edit[] = [
    { start: 4, end: 4, text: '1' },
    { start: 5, end: 5, text: '2' },
    { start: 6, end: 6, text: '3' },
    { start: 5, end: 6, text: '' }, // the 2 taken back
    { start: 4, end: 4, text: '0' }, // typed before the first, at the edit's start
    { start: 5, end: 6, text: 'xy' }, // the 1 replaced
    { start: 8, end: 8, text: 'z' }, // right after what was typed: part of it
    { start: 10, end: 10, text: 'w' }, // past it: its own edit
    { start: 1, end: 2, text: '' }, // elsewhere: its own edit
  ];
  let edited = new EditedText(old);
  let expected = old;
  for (const e of steps) {
    edited = edited.with(e);
    expected = expected.slice(0, e.start) + e.text + expected.slice(e.end);
    assert.equal(edited.read(0, expected.length), expected);
    for (let at = 0; at < expected.length; at++) assert.equal(edited.charCodeAt(at), expected.charCodeAt(at));
  }
  assert.equal(edited.edits.length, 3);
});

test('random edits, many of them next to the last one, read as the text they make', () => {
  let seed = 11;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (let round = 0; round < 200; round++) {
    let edited = new EditedText(old);
    let expected = old;
    let last = 0;
    for (let k = 0; k < 12; k++) {
      // half of them where the last one ended, as typing goes
      const start = next(2) ? Math.min(last, expected.length) : next(expected.length + 1);
      const end = Math.min(expected.length, start + next(3));
      const text = ['', 'a', 'bc', '\n'][next(4)];
      edited = edited.with({ start, end, text });
      expected = expected.slice(0, start) + text + expected.slice(end);
      last = start + text.length;
      assert.equal(edited.length, expected.length);
      assert.equal(edited.read(0, expected.length), expected, `round ${round}, edit ${k}`);
      for (let at = 0; at < expected.length; at++) assert.equal(edited.charCodeAt(at), expected.charCodeAt(at), `round ${round}, edit ${k}, at ${at}`);
    }
  }
});

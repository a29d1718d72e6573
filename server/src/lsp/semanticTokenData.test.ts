import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusRoot, filesUnder } from '../../../test/support/paths.ts';
import { kubeProxyDump } from '../../../test/support/kubeDump.ts';
import { drain } from '../core/services/steps.ts';
import { v8Heap } from '../node/v8Heap.ts';
import { LineIndex } from '../core/text/lineIndex.ts';
import { addChangedLines, NO_LINES_CHANGED, type ChangedLines } from './changedLines.ts';
import { DocumentStore } from './documentStore.ts';
import { encodedTokenSteps, tokenDeltaAfterEdit, tokenEditsByLines, type KeptTokens } from './semanticTokenData.ts';

/** A small deterministic stream of numbers (the same edits on every run). */
function numbers(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

const RULE_LINES = ['-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', '-A KUBE-SERVICES -m comment --comment "ns/svc" -j KUBE-SVC-X', '-A PREROUTING -j DOCKER', '-A FORWARD -o eth0 -j DROP', ':NEW-CHAIN - [0:0]'];

type Edit = { kind: string; start: number; end: number; text: string };

/** One edit of the kinds typing makes, at a place picked by `next`. */
function someEdit(text: string, next: () => number): Edit {
  const lines = new LineIndex(text);
  const line = Math.floor(next() * lines.lineCount);
  const start = lines.lineStarts[line];
  const end = lines.lineEnd(line, text);
  const at = start + Math.floor(next() * (end - start + 1));
  const pick = next();
  if (pick < 0.3) return { kind: 'a character typed', start: at, end: at, text: 'xk -'[Math.floor(next() * 4)] };
  if (pick < 0.45) return { kind: 'characters deleted', start: at, end: Math.min(end, at + 1 + Math.floor(next() * 6)), text: '' };
  if (pick < 0.55) return { kind: 'a line added', start, end: start, text: `${RULE_LINES[Math.floor(next() * RULE_LINES.length)]}\n` };
  if (pick < 0.65) return { kind: 'a line removed', start, end: Math.min(text.length, end + 1), text: '' };
  if (pick < 0.72) return { kind: 'a line split', start: at, end: at, text: '\n' };
  if (pick < 0.78) return { kind: 'two lines joined', start: end, end: Math.min(text.length, end + 1), text: ' ' };
  if (pick < 0.84) return { kind: 'lines pasted', start, end: start, text: `${RULE_LINES.join('\n')}\n` };
  if (pick < 0.9) return { kind: 'a COMMIT added', start, end: start, text: 'COMMIT\n' };
  if (pick < 0.95) return { kind: 'a table line added', start, end: start, text: '*nat\n' };
  // the first character of a line: a table line or COMMIT may stop being one
  return { kind: 'a line start changed', start, end: Math.min(end, start + 1), text: '#' };
}

/** The editor's range for offsets of `text`. */
function rangeOf(text: string, start: number, end: number) {
  const lines = new LineIndex(text);
  return { start: lines.positionAt(start), end: lines.positionAt(end) };
}

/** `held` after the editor applies the delta's edits to it. */
function applied(held: number[], edits: { start: number; deleteCount: number; data?: number[] }[]): number[] {
  const out = held.slice();
  for (const d of edits) out.splice(d.start, d.deleteCount, ...(d.data ?? []));
  return out;
}

/** The whole tokens of a fresh document with the text, and what is kept of them. */
function freshTokens(uri: string, text: string) {
  return drain(encodedTokenSteps(new DocumentStore().open(uri, 'iptables-save', 1, text).model));
}

/**
 * A document opened in a store, the lines its edits change gathered in `since` (as the server
 * gathers them between two token results), and its first tokens.
 */
function openTracked(uri: string, text: string) {
  const store = new DocumentStore();
  const doc = store.open(uri, 'iptables-save', 1, text);
  const since: ChangedLines = { ...NO_LINES_CHANGED };
  store.onLinesChanged((_, lines) => addChangedLines(since, lines));
  return { store, doc, since, first: drain(encodedTokenSteps(doc.model)) };
}

/**
 * Edits `text` with random edits through the store, one to `between` before each result, and
 * checks each delta, applied to the tokens an editor holds, against the tokens of a fresh
 * document with the same text, and what is kept against what a fresh document keeps. Returns
 * how many deltas came from the kept lines and how many from tokens worked out whole.
 */
function editAndCompare(name: string, text: string, edits: number, seed: number, between = 3): { kept: number; whole: number } {
  const next = numbers(seed);
  const uri = `file:///${name}`;
  let version = 1;
  const { store, doc, since, first } = openTracked(uri, text);
  let kept: KeptTokens = first.kept;
  let held = Array.from(first.data);
  const counts = { kept: 0, whole: 0 };
  for (let i = 0; i < edits; ) {
    const made: string[] = [];
    for (let n = 1 + Math.floor(next() * between); n > 0 && i < edits; n--, i++) {
      const e = someEdit(doc.model.text, next);
      made.push(e.kind);
      store.change(uri, ++version, [{ range: rangeOf(doc.model.text, e.start, e.end), text: e.text }]);
    }
    const fresh = freshTokens(uri, doc.model.text);
    const after = tokenDeltaAfterEdit(kept, doc.model, since);
    if (after) {
      held = applied(held, after.edits);
      kept = after.kept;
      counts.kept++;
    } else {
      const whole = drain(encodedTokenSteps(doc.model));
      held = applied(held, tokenEditsByLines(kept, whole.kept, whole.data));
      kept = whole.kept;
      counts.whole++;
    }
    const what = `${name}, edit ${i} (${made.join(', ')}), ${after ? 'from the kept lines' : 'worked out whole'}`;
    assert.deepEqual(held, Array.from(fresh.data), what);
    assert.deepEqual([kept.counts, kept.hashes, kept.lineCount], [fresh.kept.counts, fresh.kept.hashes, fresh.kept.lineCount], `${what}: what is kept`);
    Object.assign(since, NO_LINES_CHANGED);
  }
  return counts;
}

test('tokens worked out from those kept after random edits of a kube-proxy dump are those of the edited text', () => {
  const text = kubeProxyDump(500).text;
  // a result after each edit, as while typing: only those that add or change a table line or
  // COMMIT (about one in six of these edits) are worked out whole
  const { kept, whole } = editAndCompare('kube.rules', text, 150, 7, 1);
  assert.ok(kept > 3 * whole, `${kept} from kept tokens, ${whole} worked out whole`);
  // several edits before each result, far apart: the lines between them are worked out again
  editAndCompare('kube.rules', text, 150, 8, 3);
});

test('tokens worked out from those kept after random edits of a small file with three tables are those of the edited text', () => {
  const text = '*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j NOTRACK\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A FORWARD -j DOCKER\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  for (let seed = 1; seed <= 20; seed++) editAndCompare('small.rules', text, 40, seed);
});

test('a header or COMMIT among the edited lines, and an untouched document, are worked out as they must be', () => {
  const text = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j DNAT --to-destination 10.200.0.2\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n';
  const { store, doc, since, first } = openTracked('file:///h.rules', text);
  const { kept, data } = first;
  // nothing changed: an empty delta, and the same lines kept
  const same = tokenDeltaAfterEdit(kept, doc.model, since);
  assert.deepEqual(same?.edits, []);
  assert.deepEqual([same?.kept.counts, same?.kept.hashes], [kept.counts, kept.hashes]);
  assert.deepEqual(tokenEditsByLines(kept, kept, data), []);
  // a comment typed into a rule line after its tokens: the line's tokens are the same, nothing is sent
  store.change('file:///h.rules', 2, [{ range: { start: { line: 6, character: 18 }, end: { line: 6, character: 18 } }, text: ' # x' }]);
  assert.deepEqual(tokenDeltaAfterEdit(kept, doc.model, since)?.edits, []);
  Object.assign(since, NO_LINES_CHANGED);
  // `*nat` renamed: PREROUTING below is no longer a built-in chain of its table
  store.change('file:///h.rules', 3, [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 4 } }, text: 'filter' }]);
  assert.deepEqual(since, { head: 0, tail: 8 });
  assert.equal(tokenDeltaAfterEdit(kept, doc.model, since), undefined);
});

test('what is kept of a result is a count and a hash per line, not the tokens; deltas stay right around a line whose numbers need 32 bits', () => {
  const long = `-A INPUT -m comment --comment "${'x'.repeat(70_000)}" -j ACCEPT`;
  const text = `*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n${long}\nCOMMIT\n`;
  const uri = 'file:///long.rules';
  const { store, doc, since, first } = openTracked(uri, text);
  assert.deepEqual(Object.keys(first.kept).sort(), ['counts', 'family', 'frame', 'hashes', 'lineCount', 'listing', 'skipped']);
  assert.equal(first.kept.counts.length, first.kept.lineCount);
  // the `-j` after the comment starts 70,000 characters after it
  assert.ok(Array.from(first.data).some((n) => n > 0xffff));
  let kept = first.kept;
  let held = Array.from(first.data);
  const step = (version: number, line: number, from: number, to: number, insert: string) => {
    Object.assign(since, NO_LINES_CHANGED);
    store.change(uri, version, [{ range: { start: { line, character: from }, end: { line, character: to } }, text: insert }]);
    const after = tokenDeltaAfterEdit(kept, doc.model, since);
    assert.ok(after, `edit ${version} is worked out from the kept lines`);
    held = applied(held, after.edits);
    assert.deepEqual(held, Array.from(freshTokens(uri, doc.model.text).data), `edit ${version}`);
    kept = after.kept;
  };
  // the long line emptied, written again, and another line edited
  step(2, 3, 0, long.length, '');
  step(3, 3, 0, 0, long);
  step(4, 2, 9, 9, '! ');
});

test('tokens worked out from those kept after random edits of the corpus save files are those of the edited text', { skip: existsSync(corpusRoot) ? false : `corpus not found at ${corpusRoot}` }, () => {
  const files = ['dumps', 'restore-files'].flatMap((d) => filesUnder(join(corpusRoot, d))).filter((p) => statSync(p).size < 400_000);
  let tried = 0;
  let kept = 0;
  for (const [i, f] of files.sort().entries()) {
    const text = readFileSync(f, 'utf8');
    if (new DocumentStore().open('file:///c.rules', 'iptables-save', 1, text).model.dialect !== 'save') continue;
    tried++;
    kept += editAndCompare(f, text, 25, i + 1).kept;
  }
  assert.ok(tried >= 10 && kept > tried * 5, `${tried} files, ${kept} results from kept tokens`);
});

test('what is kept of a result does not keep the text it was worked out from', () => {
  // the first line is kept (a frame line) and long enough for V8 to keep it as a slice
  const text = `# Generated by iptables-save v1.8.9 on ${'x'.repeat(40)}\n${kubeProxyDump(20_000).text}`;
  const heap = v8Heap();
  const keptAfter = (t: string) => {
    // the document and its text unreachable once this returns: only what is kept stays
    const t2 = ` ${t}`.slice(1);
    return freshTokens('file:///kept.rules', t2).kept;
  };
  // a first run compiles what the second one measures
  const first = keptAfter(text);
  heap.collect();
  const before = heap.used();
  const kept = keptAfter(text);
  heap.collect();
  const grown = heap.used() - before;
  console.log(`what is kept of a 20k-rule dump's tokens: ${(grown / 1048576).toFixed(2)} MB`);
  // the counts and hashes: 8 bytes a line (0.2 MB); the text is 2.8 MB (measured: 2.92 MB
  // kept when the first line was kept as a slice of it, under 0.1 after)
  assert.ok(kept.counts.length > 20_000 && first.counts.length === kept.counts.length);
  assert.ok(grown < text.length / 3, `${(grown / 1048576).toFixed(2)} MB kept for a text of ${(text.length / 1048576).toFixed(2)} MB`);
});

test('an iptables -S listing: edits that move lines to another table, or out of any, are worked out whole', () => {
  // a -P line typed starts a nat run: the PREROUTING below it is nat's built-in chain, not a user chain of filter
  const listing = '-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.2\n';
  const cases: [string, { line: number; character: number }, string][] = [
    ['a -P line typed', { line: 2, character: 0 }, '-P PREROUTING ACCEPT\n'],
    ['a chain line typed: every rule is outside a table now', { line: 0, character: 0 }, ':INPUT DROP [0:0]\n'],
  ];
  for (const [what, at, insert] of cases) {
    const uri = 'file:///listing.txt';
    const { store, doc, since, first } = openTracked(uri, listing);
    store.change(uri, 2, [{ range: { start: at, end: at }, text: insert }]);
    assert.equal(tokenDeltaAfterEdit(first.kept, doc.model, since), undefined, what);
    const whole = drain(encodedTokenSteps(doc.model));
    assert.deepEqual(applied(Array.from(first.data), tokenEditsByLines(first.kept, whole.kept, whole.data)), Array.from(freshTokens(uri, doc.model.text).data), what);
  }
});

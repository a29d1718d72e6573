import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LineIndex } from '../core/text/lineIndex.ts';
import { DocumentStore, offsetIn } from './documentStore.ts';
import { keptModelBytes, modelHeapBytes } from '../core/limits.ts';
import { HEAP_RESERVE } from '../node/heapRoom.ts';

test('an editor position gives the offset TextDocument gives, anywhere in a text without carriage returns', () => {
  for (const text of ['', 'a', '\n', 'ab\ncd\n', '*filter\n\n-A INPUT -j DROP\nCOMMIT', 'x\n\n\ny']) {
    const reference = TextDocument.create('file:///t', 'iptables-save', 1, text);
    const lines = new LineIndex(text);
    for (let line = -1; line <= lines.lineCount + 1; line++) {
      for (let character = -1; character <= 30; character++) {
        assert.equal(offsetIn(lines, { line, character }), reference.offsetAt({ line, character }), `${JSON.stringify(text)} ${line}:${character}`);
      }
    }
  }
});

/** A small deterministic stream of numbers (the same edits on every run). */
function numbers(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

test('edits applied by the store give the text TextDocument gives, one change or several per message, with and without carriage returns', () => {
  for (const [start, withReturns] of [['*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n', false], ['*filter\r\n-A INPUT -j DROP\r\nCOMMIT\r\n', true]] as const) {
    const store = new DocumentStore();
    const uri = 'file:///edits.rules';
    const doc = store.open(uri, 'iptables-save', 1, start);
    let reference = TextDocument.create(uri, 'iptables-save', 1, start);
    const random = numbers(withReturns ? 7 : 3);
    const pick = (n: number) => Math.floor(random() * n);
    for (let version = 2; version < 300; version++) {
      const changes: TextDocumentContentChangeEvent[] = [];
      let shadow = TextDocument.create(uri, 'iptables-save', version, reference.getText());
      for (let k = 0, n = 1 + pick(3); k < n; k++) {
        const t = shadow.getText();
        const a = shadow.positionAt(pick(t.length + 1));
        // now and then a position past the end of its line or of the text
        const b = random() < 0.1 ? { line: a.line, character: a.character + 40 } : shadow.positionAt(pick(t.length + 1));
        const inserted = ['', 'x', '\n', ' -j ACCEPT', '\n-A INPUT -j DROP', withReturns ? '\r\n' : '\t'][pick(6)];
        const c = { range: random() < 0.5 ? { start: a, end: b } : { start: b, end: a }, text: inserted };
        changes.push(c);
        shadow = TextDocument.update(shadow, [c], version);
      }
      store.change(uri, version, changes);
      reference = TextDocument.update(reference, changes, version);
      assert.equal(doc.model.text, reference.getText(), `version ${version}`);
      assert.equal(doc.version, version);
    }
  }
});

test('a carriage return typed into a document makes the store read positions the way TextDocument does from then on', () => {
  const store = new DocumentStore();
  const uri = 'file:///cr.rules';
  const doc = store.open(uri, 'iptables-save', 1, 'ab\ncd\n');
  let reference = TextDocument.create(uri, 'iptables-save', 1, 'ab\ncd\n');
  const steps: TextDocumentContentChangeEvent[][] = [
    [{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: '\r' }], // a lone CR: a line break for the editor
    [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: 'Z' }],
    [{ range: { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } }, text: '!' }],
  ];
  for (const [i, changes] of steps.entries()) {
    store.change(uri, i + 2, changes);
    reference = TextDocument.update(reference, changes, i + 2);
    assert.equal(doc.model.text, reference.getText(), `step ${i}`);
  }
});

test('the iptables-save language id gives a save file, unless the text calls iptables: then it is a script', () => {
  const store = new DocumentStore();
  const open = (name: string, languageId: string, text: string) => store.open(`file:///d/${name}`, languageId, 1, text).model;
  assert.equal(open('a.iptables', 'iptables-save', '*filter\n-A INPUT -j DROP\nCOMMIT\n').dialect, 'save');
  assert.equal(open('b.iptables', 'iptables-save', '').dialect, 'save');
  // a file of commands with one option a line, named like a dump
  const commands = open('c.iptables', 'iptables-save', 'iptables \\\n-w \\\n--table filter \\\n--insert INPUT \\\n--jump ACCEPT\n');
  assert.equal(commands.dialect, 'script');
  assert.deepEqual(commands.diagnostics().filter((d) => d.severity === 'error'), []);
  assert.equal(open('d.sh', 'shellscript', '*filter\nCOMMIT\n').dialect, 'script');
});

test('the server asking whether a document is still open is not a use of the store; a handler asking for it is', () => {
  const store = new DocumentStore();
  const doc = store.open('file:///d/r.rules', 'iptables-save', 1, '*filter\nCOMMIT\n');
  store.lastUse = 0;
  assert.equal(store.holds(doc), true);
  assert.equal(store.lastUse, 0);
  store.get(doc.uri);
  assert.ok(store.lastUse > 0);
  store.close(doc.uri);
  assert.equal(store.holds(doc), false);
});

test('a document opened in steps is opening: handlers and the other documents\' judgements do not get it, the background queue does, until it is opened', () => {
  const store = new DocumentStore();
  const small = store.open('file:///d/small.rules', 'iptables-save', 1, '*filter\nCOMMIT\n');
  const big = store.open('file:///d/big.rules', 'iptables-save', 1, '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', true);
  assert.equal(store.isOpening(big), true);
  assert.equal(store.get(big.uri), undefined);
  assert.deepEqual(store.all(), [small]);
  assert.equal(store.queued(big.uri), big);
  assert.equal(store.has(big.uri), true);
  assert.equal(store.holds(big), true);
  // edits apply meanwhile
  store.change(big.uri, 2, [{ range: { start: { line: 1, character: 12 }, end: { line: 1, character: 18 } }, text: 'DROP' }]);
  store.opened(big);
  assert.equal(store.get(big.uri), big);
  assert.deepEqual(store.all(), [small, big]);
  assert.match(big.model.text, /-j DROP/);
  // a script too: its analysis has steps
  const script = store.open('file:///d/fw.sh', 'shellscript', 1, 'iptables -A INPUT -j ACCEPT\n', true);
  assert.equal(store.isOpening(script), true);
  assert.equal(store.get(script.uri), undefined);
});

test('a document is modelled when its model fits in the heap the other open documents leave; one that does not fit gets analysis-skipped until an edit makes it fit', () => {
  const save = '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  const script = 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n';
  // room for the models the save file and one script keep (13 and 62 bytes a character), and
  // 2,000 bytes: less than another script takes while modelled (70 a character: 3,220)
  const limit = HEAP_RESERVE + keptModelBytes(save.length, 'save') + keptModelBytes(script.length, 'script') + 2000;
  assert.ok(modelHeapBytes(script.length, 'script') > 2000);
  const store = new DocumentStore(undefined, limit);
  const a = store.open('file:///a.rules', 'iptables-save', 1, save);
  const b = store.open('file:///b.sh', 'shellscript', 1, script);
  assert.equal(a.model.skipped, undefined);
  assert.equal(b.model.skipped, undefined);
  assert.equal(store.roomFor('file:///c.sh'), limit - HEAP_RESERVE - keptModelBytes(save.length, 'save') - keptModelBytes(script.length, 'script'));
  const c = store.open('file:///c.sh', 'shellscript', 1, script);
  assert.equal(c.model.skipped?.kind, 'memory');
  assert.deepEqual(c.model.diagnostics().map((d) => [d.code, d.span.start, d.span.end]), [['analysis-skipped', 0, script.length - 1]]);
  assert.equal(c.model.ruleSet.commands.length, 0);
  // the room is kept from the open: an edit that leaves a shorter text is judged against it
  store.change('file:///c.sh', 2, [{ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 36 } }, text: '' }]);
  assert.equal(c.model.text, 'iptables -j ACCEPT\n');
  assert.equal(c.model.skipped, undefined);
  assert.deepEqual(c.model.ruleSet.commands.map((cmd) => cmd.kind), ['none']);
  // a store told no limit models whatever it is given
  assert.equal(new DocumentStore().open('file:///d.sh', 'shellscript', 1, script.repeat(1000)).model.skipped, undefined);
});

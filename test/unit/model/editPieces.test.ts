import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { completionsAt } from '../../../server/src/core/services/completion.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';
import { v8Heap } from '../../../server/src/node/v8Heap.ts';
import { kubeProxyDump } from '../../support/kubeDump.ts';

const heap = v8Heap();
const gc = () => heap.collect();

/** Bytes of V8's large objects: a copy of the text into one piece is one of them. */
function largeObjects(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'large_object_space')!.space_used_size;
}

/** The dump analysed, and where a digit is typed after a service port in its middle. */
function analysedDump(text: string): { doc: FirewallDocument; at: number } {
  const doc = new FirewallDocument(text, { dialect: 'save', fileName: 'kube.rules' });
  doc.diagnostics();
  return { doc, at: text.indexOf('--dport 80 ', text.length >> 1) + 10 };
}

/**
 * After an edit the new text is pieces of the old one; whatever reads it first copies all of it
 * into one new piece, which took most of a keystroke's time on a 100k-rule dump (45–55 ms of
 * page faults for 15 MB here). The edit and its analysis read through the old text instead,
 * and the copy waits for settleText. A copy shows as a new large object of the text's size.
 */
test('an edit of a big file and its analysis leave the new text in pieces until settleText', () => {
  let text = kubeProxyDump(20_000).text;
  const { doc, at } = analysedDump(text);
  // a port typed wrong (`80x`), then mended: each edit is analysed, the first gets a finding
  for (const [i, change] of [{ start: at, end: at, text: 'x' }, { start: at, end: at + 1, text: '' }].entries()) {
    text = text.slice(0, change.start) + change.text + text.slice(change.end);
    // nothing else in large objects is garbage: a collection during the edit cannot hide a copy
    gc();
    const before = largeObjects();
    doc.update(text, [change]);
    const diagnostics = doc.diagnostics();
    const grown = largeObjects() - before;
    assert.ok(grown < text.length / 2, `edit ${i}: large objects grew ${(grown / 1e6).toFixed(1)} MB for a ${(text.length / 1e6).toFixed(1)} MB text`);
    assert.deepEqual(diagnostics.map((d) => d.code), i === 0 ? ['invalid-value'] : [], 'the edit is analysed');
    doc.settleText();
    assert.ok(largeObjects() - before >= text.length, 'settleText makes the copy');
  }
});

test('a completion or hover asked right after an edit of a big file leaves its text in pieces, and knows the table', () => {
  let text = kubeProxyDump(20_000).text;
  const { doc, at } = analysedDump(text);
  const change = { start: at, end: at, text: '1' };
  // after `-j ` on the edited line, a service rule of the nat table (found in the text before
  // the edit: reading the new one here would join it before the document does)
  const jump = text.indexOf(' -j ', at) + 4 + change.text.length;
  text = text.slice(0, change.start) + change.text + text.slice(change.end);
  doc.update(text, [change]);
  doc.diagnostics();
  gc();
  const before = largeObjects();
  const items = completionsAt(doc, jump)?.items.map((i) => i.label) ?? [];
  assert.ok(items.includes('DNAT') && items.includes('KUBE-MARK-MASQ'), items.slice(0, 10).join(' '));
  assert.ok(hoverAt(doc, jump - 2), 'a hover on -j');
  const grown = largeObjects() - before;
  assert.ok(grown < text.length / 2, `large objects grew ${(grown / 1e6).toFixed(1)} MB for a ${(text.length / 1e6).toFixed(1)} MB text`);
});

for (const [dialect, start] of [
  ['save', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j NOPE\nCOMMIT\n'],
  ['script', '#!/bin/sh\niptables -A INPUT -p tcp --dport 22 -j NOPE\n'],
] as const) {
  test(`a suppression directive typed into an analysed ${dialect} file takes effect, also when its last letter completes it`, () => {
    let text: string = start;
    const doc = new FirewallDocument(text, { dialect, fileName: 'x.rules' });
    const codes = () => doc.diagnostics().map((d) => d.code);
    const finding = codes();
    assert.equal(finding.length, 1);
    const edit = (from: number, to: number, insert: string) => {
      text = text.slice(0, from) + insert + text.slice(to);
      doc.update(text, [{ start: from, end: to, text: insert }]);
    };
    const rule = text.indexOf(dialect === 'save' ? '-A INPUT' : 'iptables -A');
    // one letter short of the tool's name: not a directive yet
    edit(rule, rule, `# iptables-lin disable-next-line ${finding[0]}\n`);
    assert.deepEqual(codes(), finding);
    const at = text.indexOf('-lin ') + 4;
    edit(at, at, 't');
    assert.deepEqual(codes(), [], 'the completed directive silences the finding');
    // and removing a letter again brings the finding back
    edit(at, at + 1, '');
    assert.deepEqual(codes(), finding);
  });
}

test('keystrokes without a pause are read through the ones before them: no copy of the text per keystroke', () => {
  let text = kubeProxyDump(20_000).text;
  const { doc, at } = analysedDump(text);
  gc();
  const before = largeObjects();
  for (let i = 0; i < 12; i++) {
    const change = i % 2 === 0 ? { start: at, end: at, text: 'x' } : { start: at, end: at + 1, text: '' };
    // built as an editor's server builds it: from the document's own reading of its text
    text = doc.read(0, change.start) + change.text + doc.read(change.end, doc.text.length);
    doc.update(text, [change]);
    assert.deepEqual(doc.diagnostics().map((d) => d.code), i % 2 === 0 ? ['invalid-value'] : [], `keystroke ${i} is analysed`);
  }
  const grown = largeObjects() - before;
  assert.ok(grown < text.length / 2, `large objects grew ${(grown / 1e6).toFixed(1)} MB over 12 keystrokes on a ${(text.length / 1e6).toFixed(1)} MB text`);
  assert.equal(doc.text, kubeProxyDump(20_000).text, 'twelve keystrokes, typed and deleted: the text as it was');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubeProxyDump } from '../../../test/support/kubeDump.ts';
import type { FirewallDocument } from '../core/facade.ts';
import { drain } from '../core/services/steps.ts';
import { LineIndex } from '../core/text/lineIndex.ts';
import { addChangedLines, NO_LINES_CHANGED, type ChangedLines } from './changedLines.ts';
import { DocumentStore } from './documentStore.ts';
import { encodedTokenSteps, tokenDeltaAfterEdit, type KeptTokens } from './semanticTokenData.ts';
import { documentSymbolSteps, foldingRanges } from './symbols.ts';

/**
 * What an editor asks after each pause in typing (the tokens' delta, the outline, folding) is
 * worked out from the text read through the edits made since it was last in one piece
 * (FirewallDocument.chars): read as a string, the engine first copies it whole, 45–55 ms for
 * the 100k-rule dump after every pause. Here the document's string is made unreadable after
 * the edits, and the answers must be those of a fresh document of the edited text.
 */
function edited(): { doc: FirewallDocument; since: ChangedLines; kept: KeptTokens; text: string } {
  const store = new DocumentStore();
  const text = kubeProxyDump(2000).text;
  const open = store.open('file:///kube.rules', 'iptables-save', 1, text);
  const since: ChangedLines = { ...NO_LINES_CHANGED };
  store.onLinesChanged((_, lines) => addChangedLines(since, lines));
  const { kept } = drain(encodedTokenSteps(open.model));
  // a port typed into a rule in the middle, a digit at a time, and one taken back
  const lines = new LineIndex(text);
  const line = text.split('\n').findIndex((l, i) => i > lines.lineCount / 2 && l.includes('--dport 80 '));
  const at = text.split('\n')[line].indexOf('--dport 80') + 10;
  let now = text;
  let version = 1;
  for (const [start, end, typed] of [[at, at, '1'], [at + 1, at + 1, '2'], [at + 1, at + 2, '']] as const) {
    store.change(open.uri, ++version, [{ range: { start: { line, character: start }, end: { line, character: end } }, text: typed }]);
    const offset = lines.lineStarts[line];
    now = now.slice(0, offset + start) + typed + now.slice(offset + end);
  }
  const doc = store.get(open.uri)!.model;
  // the string itself unreadable: whatever reads it would join its pieces
  const unreadable = () => assert.fail('the document\'s text was read as a string');
  doc.text = new Proxy(Object.create(null), { get: (_, key) => (key === 'length' ? now.length : unreadable()) }) as string;
  return { doc, since, kept, text: now };
}

test('the tokens\' delta, the outline and the folding ranges after edits read the text through the edits, and are those of the edited text', () => {
  const { doc, since, kept, text } = edited();
  const store = new DocumentStore();
  const fresh = store.open('file:///fresh.rules', 'iptables-save', 1, text).model;
  const delta = tokenDeltaAfterEdit(kept, doc, since);
  assert.ok(delta, 'worked out from the kept lines');
  const whole = drain(encodedTokenSteps(fresh)).kept;
  assert.deepEqual([delta.kept.counts, delta.kept.hashes], [whole.counts, whole.hashes]);
  assert.deepEqual(drain(documentSymbolSteps(doc, 5000)), drain(documentSymbolSteps(fresh, 5000)));
  assert.deepEqual(foldingRanges(doc), foldingRanges(fresh));
});

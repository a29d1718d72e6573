import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseSaveLine } from '../../../server/src/core/syntax/saveLine.ts';
import { parseArgTokens, ruleParser } from '../../../server/src/core/syntax/ruleParser.ts';
import { wordTokens } from '../../../server/src/core/syntax/wordTokens.ts';
import type { OptionItem, SaveLineResult, Word } from '../../../server/src/core/syntax/nodes.ts';
import type { Span } from '../../../server/src/core/text/span.ts';
import { dumpAndCorpusLines } from '../../support/corpusLines.ts';

/**
 * Save-file lines and script arguments built from the plan of their shape (RuleParser.saveLineOf,
 * argsOf) against Chevrotain's own parse of the same words: every word, option group, span and
 * syntax problem alike.
 */
const at = (s: Span | undefined) => (s ? [s.start, s.end] : undefined);
const word = (w: Word) => [w.text, w.value, at(w.span), w.quoted, w.dynamic, w.attached ?? false, w.unterminated ?? false];
const item = (i: OptionItem) => ({ written: i.written, name: at(i.nameSpan), negated: i.negated, bang: at(i.bang), span: at(i.span), values: i.values.map(word) });

function described(r: SaveLineResult): unknown {
  const l = r.line;
  const issues = r.issues.map((i) => [i.code, i.message, at(i.span)]);
  if (l.kind !== 'rule') return { kind: l.kind, span: at(l.span), issues };
  return { span: at(l.span), counters: l.counters && [l.counters.packets, l.counters.bytes, at(l.counters.span)], items: l.args.items.map(item), strays: l.args.strays.map(word), args: at(l.args.span), issues };
}

function parsed(line: string, plans: boolean, expands = false): unknown {
  const parser = ruleParser();
  parser.usePlans = plans;
  try {
    // measured from an anchor, as in a document (see LineSpan), 40 characters into the text
    return described(parseSaveLine(line, 40, expands, { start: 40 }, expands ? (n) => (n === 'WAN' ? 'eth0' : undefined) : undefined));
  } finally {
    parser.usePlans = true;
  }
}

function same(line: string, expands = false): void {
  const chevrotain = parsed(line, false, expands);
  // the first line of a shape makes its plan, the next one is built from it
  assert.deepEqual(parsed(line, true, expands), chevrotain, JSON.stringify(line));
  assert.deepEqual(parsed(line, true, expands), chevrotain, JSON.stringify(line));
}

const pieces = ['-A', 'INPUT', '-p', 'tcp', '--dport', '22', '!', '-s', '10.0.0.0/8', '-m', 'comment', '--comment', '"a b"', '"x\\"y"', '-j', 'ACCEPT', '[1:2]', '--to=1.2.3.4', '--syn', '-i', 'eth+', '--state', 'NEW,ESTABLISHED', '$WAN', '"$X"', "'q'", '-', '--', '"open', 'x"y'];
// lines that start with a marker (a table, a chain, COMMIT, a comment) are read in the lexer's line mode
const starts = ['', '', ':KUBE-SVC-X', ':INPUT', '*filter', '*', 'COMMIT', '#', 'C'];
const line = fc.tuple(fc.constantFrom(...starts), fc.array(fc.constantFrom(...pieces), { maxLength: 16 })).map(([head, a]) => [head, ...a].join(' ').trimStart());

test('save-file lines built from the plan of their shape equal Chevrotain\'s parse (random lines)', () => {
  fc.assert(fc.property(line, fc.boolean(), (l, expands) => same(l, expands)), { numRuns: 5000 });
});

test('save-file lines built from the plan of their shape equal Chevrotain\'s parse (a kube-proxy dump and the corpus)', () => {
  let compared = 0;
  for (const l of dumpAndCorpusLines()) {
    if (!l.trim()) continue;
    same(l);
    compared++;
  }
  assert.ok(compared > 3000, `${compared} lines compared`);
});

/** A script command's words as the shell parser gives them (a word holding `$` is dynamic). */
function words(list: string[]): Word[] {
  let at = 9;
  return list.map((v) => {
    const w: Word = { text: v, value: v.replace(/^"(.*)"$/, '$1'), span: { start: at, end: at + v.length }, quoted: v.startsWith('"'), dynamic: v.includes('$') };
    at += v.length + 1;
    return w;
  });
}

function args(list: string[], plans: boolean): unknown {
  const parser = ruleParser();
  parser.usePlans = plans;
  try {
    const r = parseArgTokens(wordTokens(words(list)), 0);
    return { items: r.items.map(item), strays: r.strays.map(word), span: at(r.span), issues: r.issues.map((i) => [i.code, i.message, at(i.span)]) };
  } finally {
    parser.usePlans = true;
  }
}

test('a script command\'s arguments built from the plan of their shape equal Chevrotain\'s parse (random words)', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 16 }), (list) => {
      const chevrotain = args(list, false);
      assert.deepEqual(args(list, true), chevrotain, JSON.stringify(list));
      assert.deepEqual(args(list, true), chevrotain, JSON.stringify(list));
    }),
    { numRuns: 5000 },
  );
});

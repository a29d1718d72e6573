import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { tokenizeRuleLine, tokenizeSaveLine } from '../../../server/src/core/syntax/ruleLineLexer.ts';
import { saveLineLexer } from '../../../server/src/core/syntax/ruleTokens.ts';
import { dumpAndCorpusLines } from '../../support/corpusLines.ts';

/** Both lexers' view of a line: token name, image and offset, and whether Chevrotain's reported an error. */
function viaChevrotain(line: string): string[] {
  const r = saveLineLexer().tokenize(line, 'rule');
  assert.equal(r.errors.length, 0, `Chevrotain's rule mode reported an error on ${JSON.stringify(line)}`);
  return r.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`);
}
/** The same in the `line` mode, which a line that can start a header, chain, COMMIT or comment is read in. */
function viaChevrotainLineMode(line: string): string[] {
  const r = saveLineLexer().tokenize(line, 'line');
  assert.equal(r.errors.length, 0, `Chevrotain's line mode reported an error on ${JSON.stringify(line)}`);
  return r.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`);
}
function viaSaveLineLoop(line: string): string[] {
  return tokenizeSaveLine(line).map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`);
}
function viaLoop(line: string): string[] {
  return tokenizeRuleLine(line).map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`);
}

// Characters where the token patterns differ: quotes, escapes, `!`, `[n:n]`, `-`, `=`, the
// blanks the lexer skips and the Unicode spaces only the Option pattern stops at.
const pieces = ['-', '--', '!', '"', '\\', '[', ']', ':', '=', ' ', '\t', '\r', '\v', '\f', '\u00a0', '\u2003', '\ufeff', '\u3000', 'a', 'Z', '7', '0', '[0:0]', '[12:345]', '-A', '--dport', '--to=', '!x', '"a b"', 'é'];
const line = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 4 })), { maxLength: 24 }).map((a) => a.join('').replace(/\n/g, ''));

test('the one-loop rule-line reader gives the tokens of the Chevrotain rule-mode lexer (random lines)', () => {
  fc.assert(fc.property(line, (l) => assert.deepEqual(viaLoop(l), viaChevrotain(l))), { numRuns: 20_000 });
});

/** A marker of a table header, chain line, COMMIT or comment at the start (`#`, `*`, `:`, `C`): read by the line mode. */
function startsLineMode(l: string): boolean {
  const c = l.charCodeAt(0);
  return c === 35 || c === 42 || c === 58 || c === 67;
}

/** Every line of the dump and the corpus that `select` keeps, read by both readers. */
function compareOnDumpAndCorpus(select: (l: string) => boolean, loop: (l: string) => string[], chevrotain: (l: string) => string[]): void {
  let compared = 0;
  for (const l of dumpAndCorpusLines()) {
    if (!select(l)) continue;
    assert.deepEqual(loop(l), chevrotain(l), JSON.stringify(l));
    compared++;
  }
  assert.ok(compared > 3000, `${compared} lines compared`);
}

test('the one-loop rule-line reader gives the tokens of the Chevrotain rule-mode lexer (a kube-proxy dump and the corpus)', () => {
  compareOnDumpAndCorpus((l) => !startsLineMode(l), viaLoop, viaChevrotain);
});

// lines that start as a header, chain line, COMMIT or comment would, or nearly
const starts = ['#', '*', ':', 'C', 'COMMIT', 'COMMIT ', 'COMMITx', 'COMMIT\t', 'COMMIT\u00a0', ':INPUT', '*nat', ':"a b"', '*"', '# x'];
const saveLine = fc.tuple(fc.constantFrom(...starts), line).map(([a, b]) => a + b);

test('the one-loop save-line reader gives the tokens of the Chevrotain line-mode lexer (random lines)', () => {
  fc.assert(fc.property(saveLine, (l) => assert.deepEqual(viaSaveLineLoop(l), viaChevrotainLineMode(l))), { numRuns: 20_000 });
  fc.assert(fc.property(line, (l) => assert.deepEqual(viaSaveLineLoop(l), viaChevrotainLineMode(l))), { numRuns: 5_000 });
});

test('the one-loop save-line reader gives the tokens of the Chevrotain line-mode lexer (a kube-proxy dump and the corpus)', () => {
  compareOnDumpAndCorpus(startsLineMode, viaSaveLineLoop, viaChevrotainLineMode);
});

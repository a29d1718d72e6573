import { detachedCopy } from '../core/text/detachedCopy.ts';
import type { SemanticTokensEdit } from 'vscode-languageserver';
import type { FirewallDocument } from '../core/facade.ts';
import type { Family } from '../core/knowledge/types.ts';
import { semanticTokenTripleSteps } from '../core/services/semanticTokens.ts';
import { drain, type Steps } from '../core/services/steps.ts';
import type { CharSource } from '../core/text/charSource.ts';
import type { LineIndex } from '../core/text/lineIndex.ts';
import type { ChangedLines } from './changedLines.ts';

/**
 * A save file's table lines and COMMITs, with their text: what decides, beyond a rule's own
 * line, how the rule is coloured (a chain is built-in in one table and not in another; a rule
 * after a COMMIT is in no table). The first line is in too (a byte order mark there).
 */
interface FrameLine {
  line: number;
  text: string;
}

/** Encoded tokens: five numbers a token (see encodedTokenSteps). */
export type TokenData = Uint32Array;

/**
 * What is kept of a result to work out the next result's delta: per line, how many tokens it
 * has and a hash of them. The tokens themselves (a 100k-rule dump has a million: 10 MB kept
 * in 16 bits a number) are not: an edit's delta is the tokens of the lines it changed, placed
 * by the counts of the lines above them; a result worked out whole is compared with the kept
 * one line by line. 8 bytes a line (1.1 MB for that dump).
 */
export interface KeptTokens {
  counts: Uint32Array;
  hashes: Uint32Array;
  lineCount: number;
  family: Family;
  skipped: boolean;
  /** Worked out for an iptables -S listing, whose lines have no frame (see tokenDeltaAfterEdit). */
  listing: boolean;
  frame: FrameLine[];
}

/**
 * The LSP encoding of a document's tokens (five numbers a token: line and start relative to
 * the previous token, length, type, modifiers), with what is kept of it.
 */
export function* encodedTokenSteps(model: FirewallDocument): Steps<{ data: TokenData; kept: KeptTokens }> {
  const { data, count } = yield* semanticTokenTripleSteps(model.ruleSet);
  const out = new Uint32Array(count * 5);
  const { written } = yield* encodeSteps(data, count, model.lines, model.chars, out, 0, 0, 0, 0);
  const encoded = written === out.length ? out : out.slice(0, written);
  const lineCount = model.lines.lineCount;
  const counts = new Uint32Array(lineCount);
  const hashes = new Uint32Array(lineCount).fill(EMPTY_HASH);
  summarize(encoded, 0, counts, hashes, 0);
  return { data: encoded, kept: keep(model, counts, hashes) };
}

function keep(model: FirewallDocument, counts: Uint32Array, hashes: Uint32Array, frame = model.dialect === 'save' ? frameOf(model.chars, model.lines) : []): KeptTokens {
  return { counts, hashes, lineCount: model.lines.lineCount, family: model.family, skipped: model.skipped !== undefined, listing: model.dialect === 'save' && !model.skipped && !!model.ruleSet.listing, frame };
}

/** The hash of a line without tokens (FNV-1a's offset basis). */
const EMPTY_HASH = 0x811c9dc5;

/**
 * Counts and hashes the lines of encoded tokens, the first relative to line `prevLine`,
 * into `counts` and `hashes` at `line - offset`. A line's hash is of its tokens' starts
 * (the first from the line's start, the others from the token before), lengths, types and
 * modifiers: nothing of the lines above it.
 */
function summarize(data: Uint32Array, prevLine: number, counts: Uint32Array, hashes: Uint32Array, offset: number): void {
  let line = prevLine;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    const k = line - offset;
    counts[k]++;
    let h = hashes[k];
    for (let j = 1; j < 5; j++) h = Math.imul(h ^ data[i + j], 0x01000193);
    hashes[k] = h;
  }
}
/**
 * Triples (see TokenTriples) written to `out` from `at` in the LSP encoding, the first relative
 * to `prevLine`/`prevChar`. Tokens come in text order, so the line is found by moving forward
 * from `line` through the line starts, not by a search per token.
 */
function* encodeSteps(t: Int32Array, count: number, lines: LineIndex, text: CharSource, out: Uint32Array, at: number, line: number, prevLine: number, prevChar: number): Steps<{ written: number; prevLine: number }> {
  const starts = lines.lineStarts;
  let w = at;
  for (let i = 0; i < count; i++) {
    if ((i & 0x1fff) === 0x1fff) yield;
    const start = t[3 * i];
    const end = t[3 * i + 1];
    while (line + 1 < starts.length && starts[line + 1] <= start) line++;
    const char = start - starts[line];
    // tokens do not span lines; a multi-line word (a continued shell word) is coloured on its first line
    const lineEnd = lines.lineEnd(line, text);
    const length = Math.min(end, lineEnd) - start;
    if (length <= 0) continue;
    out[w++] = line - prevLine;
    out[w++] = line === prevLine ? char - prevChar : char;
    out[w++] = length;
    out[w++] = t[3 * i + 2];
    out[w++] = 0;
    prevLine = line;
    prevChar = char;
  }
  return { written: w, prevLine };
}

function frameOf(text: CharSource, lines: LineIndex): FrameLine[] {
  const starts = lines.lineStarts;
  const out: FrameLine[] = [];
  for (let i = 0; i < starts.length; i++) {
    const c = text.charCodeAt(starts[i]);
    // copies: the frame is kept until the next result, and a slice (the first line of a dump,
    // `# Generated by iptables-save …`) kept that version of the document, 14 MB for the
    // 100k-rule dump, after the edits that followed
    if (i === 0 || c === 42 || c === 67) out.push({ line: i, text: detachedCopy(text.slice(starts[i], lines.lineEnd(i, text))) });
  }
  return out;
}

/**
 * The kept frame after an edit (lines after the changed ones move by `moved`) is the new one,
 * and no frame line is among the changed lines, before or after the edit.
 */
function sameFrame(kept: FrameLine[], now: FrameLine[], head: number, oldEnd: number, newEnd: number, moved: number): boolean {
  if (kept.length !== now.length) return false;
  for (let i = 0; i < kept.length; i++) {
    const k = kept[i];
    const n = now[i];
    if ((k.line >= head && k.line < oldEnd) || (n.line >= head && n.line < newEnd)) return false;
    if ((k.line < head ? k.line : k.line + moved) !== n.line || k.text !== n.text) return false;
  }
  return true;
}

/**
 * The delta of a save file's tokens after edits, from what was kept of the result before
 * them: the changed lines are worked out again and put in place of the tokens those lines
 * had, found by the counts of the lines above; the first token after them, whose line is
 * counted from the token before it, has that number replaced. A 100k-rule dump has a million
 * tokens; a keystroke changes the few of one line. Undefined when the whole document must be
 * worked out: a script (a command runs over lines, a variable set on one line is read on
 * others), another family, or a table line or COMMIT among the changed lines.
 */
export function tokenDeltaAfterEdit(kept: KeptTokens, model: FirewallDocument, changed: Readonly<ChangedLines>): { edits: SemanticTokensEdit[]; kept: KeptTokens } | undefined {
  if (model.dialect !== 'save' || model.family !== kept.family || (model.skipped !== undefined) !== kept.skipped) return undefined;
  // an iptables -S listing has no frame: a -P line typed anywhere can move lines to another
  // table, a chain line makes every line one outside a table
  if (kept.listing || model.ruleSet.listing) return undefined;
  const lines = model.lines;
  // read through the edits since the text was last in one piece: a 15 MB dump's text read as a
  // string is first copied whole (45–55 ms), after every pause in typing
  const text = model.chars;
  const newCount = lines.lineCount;
  const oldCount = kept.lineCount;
  const head = Math.min(changed.head, oldCount, newCount);
  const tail = Math.min(changed.tail, oldCount - head, newCount - head);
  const oldEnd = oldCount - tail;
  const newEnd = newCount - tail;
  const frame = frameOf(text, lines);
  if (!sameFrame(kept.frame, frame, head, oldEnd, newEnd, newCount - oldCount)) return undefined;

  // the kept tokens before the changed lines (k1) and in them (up to k2); the line of the first
  // kept token after them (oldCount when there is none)
  const oc = kept.counts;
  const k1 = tokensIn(oc, 0, head);
  const k2 = k1 + tokensIn(oc, head, oldEnd);
  let tailLine = oldEnd;
  while (tailLine < oldCount && oc[tailLine] === 0) tailLine++;
  const tokenAfter = tailLine < oldCount;
  // the line with the last token before the changed lines; its tokens are worked out with them
  let before = head - 1;
  while (before >= 0 && oc[before] === 0) before--;

  const from = head < newCount ? lines.lineStarts[head] : lines.length;
  const to = newEnd < newCount ? lines.lineStarts[newEnd] : lines.length;
  const { data: t, count } = drain(semanticTokenTripleSteps(model.ruleSet, { start: before >= 0 ? lines.lineStarts[before] : from, end: to }));
  // where the last token before the changed lines starts: the encoding counts from it
  let first = 0;
  let headLine = 0;
  let headChar = 0;
  if (before >= 0) {
    const lineStart = lines.lineStarts[before];
    const lineEnd = lines.lineEnd(before, text);
    for (; first < count && t[3 * first] < from; first++) {
      const start = t[3 * first];
      if (Math.min(t[3 * first + 1], lineEnd) - start > 0) headChar = start - lineStart;
    }
    headLine = before;
  }
  const middle = new Uint32Array((count - first) * 5);
  const { written, prevLine } = drain(encodeSteps(t.subarray(3 * first), count - first, lines, text, middle, 0, head, headLine, headChar));
  const made = middle.subarray(0, written);

  const counts = new Uint32Array(newCount);
  const hashes = new Uint32Array(newCount);
  counts.set(oc.subarray(0, head));
  hashes.set(kept.hashes.subarray(0, head));
  hashes.fill(EMPTY_HASH, head, newEnd);
  summarize(made, headLine, counts, hashes, 0);
  counts.set(oc.subarray(oldEnd), newEnd);
  hashes.set(kept.hashes.subarray(oldEnd), newEnd);
  const next = keep(model, counts, hashes, frame);

  // the same lines with the same tokens: nothing to send
  if (newEnd - head === oldEnd - head) {
    let same = true;
    for (let l = head; l < newEnd && same; l++) same = counts[l] === oc[l] && hashes[l] === kept.hashes[l];
    if (same) return { edits: [], kept: next };
  }
  // the first kept token after the changed lines is on a line of its own: only its line moves
  const data = Array.from(made);
  if (tokenAfter) data.push(tailLine + (newCount - oldCount) - (written ? prevLine : headLine));
  return { edits: [{ start: 5 * k1, deleteCount: 5 * (k2 - k1) + (tokenAfter ? 1 : 0), data }], kept: next };
}

/** How many tokens lines [from, to) have. */
function tokensIn(counts: Uint32Array, from: number, to: number): number {
  let n = 0;
  for (let l = from; l < to; l++) n += counts[l];
  return n;
}

/**
 * The delta from a kept result to a result worked out whole: the lines with the same tokens
 * at the start and at the end are left, and the tokens between are replaced, with the line of
 * the first token after them (counted from the token before it).
 */
export function tokenEditsByLines(before: KeptTokens, after: KeptTokens, data: TokenData): SemanticTokensEdit[] {
  const oc = before.counts;
  const oh = before.hashes;
  const nc = after.counts;
  const nh = after.hashes;
  const oldCount = oc.length;
  const newCount = nc.length;
  const shorter = Math.min(oldCount, newCount);
  let head = 0;
  while (head < shorter && oc[head] === nc[head] && oh[head] === nh[head]) head++;
  if (head === oldCount && head === newCount) return [];
  let tail = 0;
  while (tail < shorter - head && oc[oldCount - 1 - tail] === nc[newCount - 1 - tail] && oh[oldCount - 1 - tail] === nh[newCount - 1 - tail]) tail++;
  const k1 = tokensIn(oc, 0, head);
  const oldK2 = k1 + tokensIn(oc, head, oldCount - tail);
  const newK2 = k1 + tokensIn(nc, head, newCount - tail);
  // the lines after are the same on both sides: a token after the changed ones on one is on the other
  const next = 5 * newK2 < data.length ? 1 : 0;
  return [{ start: 5 * k1, deleteCount: 5 * (oldK2 - k1) + next, data: Array.from(data.subarray(5 * k1, 5 * newK2 + next)) }];
}

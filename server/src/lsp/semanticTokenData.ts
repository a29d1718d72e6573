import type { SemanticTokensDelta } from 'vscode-languageserver';
import type { FirewallDocument } from '../core/facade.ts';
import type { Family } from '../core/knowledge/types.ts';
import { semanticTokenTripleSteps } from '../core/services/semanticTokens.ts';
import { drain, type Steps } from '../core/services/steps.ts';
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

/**
 * Encoded tokens: 16 bits a number when every number fits, which is the usual case (lines
 * and characters are relative to the previous token, and a line of 65,536 characters is rare):
 * a 100k-rule dump's million tokens are kept in 10 MB instead of 20.
 */
export type TokenData = Uint16Array | Uint32Array;

/** Encoded tokens kept for a document with what they were worked out from. */
export interface KeptTokens {
  data: TokenData;
  lineCount: number;
  family: Family;
  skipped: boolean;
  frame: FrameLine[];
}

/**
 * The LSP encoding of a document's tokens: five numbers a token (line and start relative to
 * the previous token, length, type, modifiers).
 */
export function* encodedTokenSteps(model: FirewallDocument): Steps<KeptTokens> {
  const { data, count } = yield* semanticTokenTripleSteps(model.ruleSet);
  const out = new Uint32Array(count * 5);
  const { written } = yield* encodeSteps(data, count, model.lines, model.text, out, 0, 0, 0, 0);
  return keep(model, compact(written === out.length ? out : out.subarray(0, written)));
}

/** The biggest number a Uint16Array holds. */
const MAX_16 = 0xffff;

function fits16(data: Uint32Array): boolean {
  for (let i = 0; i < data.length; i++) if (data[i] > MAX_16) return false;
  return true;
}

/** `data` in 16 bits a number when they all fit (see TokenData), else a copy of its own (not a view of a longer list). */
function compact(data: Uint32Array): TokenData {
  if (fits16(data)) {
    const small = new Uint16Array(data.length);
    small.set(data);
    return small;
  }
  return data.length === data.buffer.byteLength / 4 ? data : data.slice();
}

function keep(model: FirewallDocument, data: TokenData, frame = model.dialect === 'save' ? frameOf(model.text, model.lines) : []): KeptTokens {
  return { data, lineCount: model.lines.lineCount, family: model.family, skipped: model.skipped !== undefined, frame };
}

/**
 * Triples (see TokenTriples) written to `out` from `at` in the LSP encoding, the first relative
 * to `prevLine`/`prevChar`. Tokens come in text order, so the line is found by moving forward
 * from `line` through the line starts, not by a search per token.
 */
function* encodeSteps(t: Int32Array, count: number, lines: LineIndex, text: string, out: Uint32Array, at: number, line: number, prevLine: number, prevChar: number): Steps<{ written: number; prevLine: number }> {
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

function frameOf(text: string, lines: LineIndex): FrameLine[] {
  const starts = lines.lineStarts;
  const out: FrameLine[] = [];
  for (let i = 0; i < starts.length; i++) {
    const c = text.charCodeAt(starts[i]);
    if (i === 0 || c === 42 || c === 67) out.push({ line: i, text: text.slice(starts[i], lines.lineEnd(i, text)) });
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
 * The tokens of a save file after edits, from those kept before them: the changed lines are
 * worked out again and put between the kept tokens of the lines before and after them. A
 * 100k-rule dump has a million tokens; a keystroke changes the few of one line. Undefined when
 * the whole document must be worked out: a script (a command runs over lines, a variable set
 * on one line is read on others), another family, or a table line or COMMIT among the
 * changed lines.
 */
export function tokensAfterEdit(kept: KeptTokens, model: FirewallDocument, changed: Readonly<ChangedLines>): { tokens: KeptTokens; sameHead: number; sameTail: number } | undefined {
  if (model.dialect !== 'save' || model.family !== kept.family || (model.skipped !== undefined) !== kept.skipped) return undefined;
  const lines = model.lines;
  const text = model.text;
  const newCount = lines.lineCount;
  const oldCount = kept.lineCount;
  const head = Math.min(changed.head, oldCount, newCount);
  const tail = Math.min(changed.tail, oldCount - head, newCount - head);
  const oldEnd = oldCount - tail;
  const newEnd = newCount - tail;
  const frame = frameOf(text, lines);
  if (!sameFrame(kept.frame, frame, head, oldEnd, newEnd, newCount - oldCount)) return undefined;

  // the kept tokens before the changed lines (up to k1) and after them (from k2)
  const old = kept.data;
  const n = old.length / 5;
  let k = 0;
  let line = 0;
  let char = 0;
  for (; k < n; k++) {
    const next = line + old[5 * k];
    if (next >= head) break;
    char = next === line ? char + old[5 * k + 1] : old[5 * k + 1];
    line = next;
  }
  const k1 = k;
  const headLine = line;
  const headChar = char;
  for (; k < n; k++) {
    const next = line + old[5 * k];
    if (next >= oldEnd) break;
    line = next;
  }
  const k2 = k;
  const tailLine = k2 < n ? line + old[5 * k2] + (newCount - oldCount) : 0;

  const from = head < newCount ? lines.lineStarts[head] : lines.length;
  const to = newEnd < newCount ? lines.lineStarts[newEnd] : lines.length;
  const { data: t, count } = drain(semanticTokenTripleSteps(model.ruleSet, { start: from, end: to }));
  const middle = new Uint32Array(count * 5);
  const { written, prevLine } = drain(encodeSteps(t, count, lines, text, middle, 0, head, headLine, headChar));

  // the first kept token after the changed lines is on a line of its own: only its line moves
  const tailDelta = tailLine - (written ? prevLine : headLine);
  const made = middle.subarray(0, written);
  // kept in 16 bits when all numbers fit, as encodedTokenSteps keeps them: when the kept ones
  // fit and so do the new ones; else in 32, and made smaller if the edit took away the big one
  const small = old instanceof Uint16Array && tailDelta <= MAX_16 && fits16(made);
  const data = small ? new Uint16Array(5 * k1 + written + old.length - 5 * k2) : new Uint32Array(5 * k1 + written + old.length - 5 * k2);
  data.set(old.subarray(0, 5 * k1), 0);
  data.set(made, 5 * k1);
  data.set(old.subarray(5 * k2), 5 * k1 + written);
  if (k2 < n) data[5 * k1 + written] = tailDelta;
  const tokens = data instanceof Uint32Array ? compact(data) : data;
  return { tokens: keep(model, tokens, frame), sameHead: 5 * k1, sameTail: Math.max(0, old.length - 5 * k2 - 5) };
}

/**
 * One edit that turns `before` into `after`: what lies between their common start and common
 * end. `sameHead` and `sameTail` are lengths known to be common already.
 */
export function tokenEdits(before: TokenData, after: TokenData, sameHead = 0, sameTail = 0): SemanticTokensDelta['edits'] {
  const shorter = Math.min(before.length, after.length);
  let head = Math.min(sameHead, shorter);
  while (head < shorter && before[head] === after[head]) head++;
  let tail = Math.min(sameTail, shorter - head);
  while (tail < shorter - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  if (head === before.length && head === after.length) return [];
  return [{ start: head, deleteCount: before.length - head - tail, data: Array.from(after.subarray(head, after.length - tail)) }];
}

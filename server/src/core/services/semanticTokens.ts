import { isBuiltinChain } from '../model/builtinChains.ts';
import type { Command, RuleSet } from '../model/types.ts';
import { LineOption } from '../syntax/lineWord.ts';
import { firstStartingFrom, type Span } from '../text/span.ts';
import { drain, STEP_ITEMS, type Steps } from './steps.ts';

export { semanticTokenTypes } from './semanticTokenLegend.ts';
export type SemanticKind = 'table' | 'builtinChain' | 'userChain' | 'target' | 'match' | 'option';
const KIND_INDEX: Record<SemanticKind, number> = { table: 0, builtinChain: 1, userChain: 2, target: 3, match: 4, option: 5 };

export interface SemanticToken {
  span: Span;
  type: number;
}

/**
 * The tokens of a document as flat triples: token i is `[start, end)` at `data[3i]`,
 * `data[3i + 1]`, of type `data[3i + 2]` (an index into semanticTokenTypes). In text order,
 * none overlapping. A 100k-rule dump has a million tokens: no object is made for any of them.
 */
export interface TokenTriples {
  data: Int32Array;
  count: number;
}

/** A growing list of triples in one typed array: a million tokens are 12 MB, written in place. */
class Triples {
  data = new Int32Array(3 * 1024);
  length = 0;

  push(start: number, end: number, type: number): void {
    if (this.length + 3 > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = start;
    this.data[this.length++] = end;
    this.data[this.length++] = type;
  }

  pushSpan(span: Span | undefined, kind: SemanticKind): void {
    if (span && span.end > span.start) this.push(span.start, span.end, KIND_INDEX[kind]);
  }
}

/**
 * Colours by meaning: tables, built-in chains, user chains, targets, matches and option
 * names, in save files and in the iptables commands of shell scripts alike.
 */
export function semanticTokenTriples(rs: RuleSet): TokenTriples {
  return drain(semanticTokenTripleSteps(rs));
}

/**
 * semanticTokenTriples in steps (see steps.ts). With `within`, only the tokens that start in
 * that part of a save file (whose commands are in the order of their lines): the lines an
 * edit touched, worked out again while the rest is kept (see semanticTokenData.ts).
 */
export function* semanticTokenTripleSteps(rs: RuleSet, within?: Span): Steps<TokenTriples> {
  // declarations (table headers, chain lines) are gathered and sorted first; the commands'
  // tokens, sorted per command, are merged with them as they come: a save file's commands
  // come in the order of their lines
  const decl = new Triples();
  const from = within?.start ?? 0;
  const to = within?.end ?? Infinity;
  const inside = (s: Span) => s.start >= from && s.start < to;
  for (const t of rs.tables.values()) {
    for (const s of t.spans) if (inside(s)) decl.pushSpan(s, 'table');
    for (const c of t.chains.values()) for (const d of c.declarations) if (inside(d.span)) decl.pushSpan(d.span, c.builtin ? 'builtinChain' : 'userChain');
  }
  const declData = sortTriples(decl.data.subarray(0, decl.length));
  const out = new Triples();
  const line = new Triples();
  let d = 0;
  let inOrder = true;
  let seen = 0;
  const commands = rs.commands;
  for (let i = within ? firstStartingFrom(commands, from) : 0; i < commands.length; i++) {
    const cmd = commands[i];
    if (cmd.span.start >= to) break;
    if (++seen % STEP_ITEMS === 0) yield;
    line.length = 0;
    commandTokens(rs, cmd, line);
    if (!line.length) continue;
    const own = line.data;
    const n = line.length;
    insertionSort(own, n);
    const first = own[0];
    while (d < declData.length && declData[d] <= first) {
      out.push(declData[d], declData[d + 1], declData[d + 2]);
      d += 3;
    }
    if (out.length && first < out.data[out.length - 3]) inOrder = false;
    for (let i = 0; i < n; i += 3) out.push(own[i], own[i + 1], own[i + 2]);
  }
  for (; d < declData.length; d += 3) out.push(declData[d], declData[d + 1], declData[d + 2]);
  const all = inOrder ? out.data.subarray(0, out.length) : sortTriples(out.data.subarray(0, out.length));
  return dropOverlaps(all);
}

/** The tokens as objects (tests, and front ends that want spans). */
export function semanticTokens(rs: RuleSet): SemanticToken[] {
  const { data, count } = semanticTokenTriples(rs);
  const out: SemanticToken[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = { span: { start: data[3 * i], end: data[3 * i + 1] }, type: data[3 * i + 2] };
  return out;
}

function commandTokens(rs: RuleSet, cmd: Command, out: Triples): void {
  if (rs.dialect === 'script' && cmd.tableSpan) out.pushSpan(cmd.tableSpan, 'table');
  for (const item of cmd.args.items) {
    // a save file's option group knows where its name starts without making the name's span
    if (item instanceof LineOption) {
      if (item.written.length) out.push(item.nameStart, item.nameStart + item.written.length, KIND_INDEX.option);
    } else out.pushSpan(item.nameSpan, 'option');
  }
  if (cmd.chainWord && !cmd.chainWord.dynamic && cmd.kind !== 'new-chain') out.pushSpan(cmd.chainWord.span, isBuiltinChain(cmd.table, cmd.chainWord.value) ? 'builtinChain' : 'userChain');
  if (cmd.kind === 'new-chain' && cmd.chainWord) out.pushSpan(cmd.chainWord.span, 'userChain');
  const rule = cmd.rule;
  if (!rule) return;
  for (const m of rule.matches) if (!m.implicit) out.pushSpan(m.span, 'match');
  if (rule.target) out.pushSpan(rule.target.span, rule.target.spec ? 'target' : 'userChain');
}

/** The first `length` numbers of `t` as triples sorted by start, in place: the few tokens of one command. */
function insertionSort(t: Int32Array, length: number): void {
  for (let i = 3; i < length; i += 3) {
    const s = t[i];
    if (s >= t[i - 3]) continue;
    const e = t[i + 1];
    const k = t[i + 2];
    let j = i - 3;
    while (j >= 0 && t[j] > s) {
      t[j + 3] = t[j];
      t[j + 4] = t[j + 1];
      t[j + 5] = t[j + 2];
      j -= 3;
    }
    t[j + 3] = s;
    t[j + 4] = e;
    t[j + 5] = k;
  }
}

/** Triples sorted by start (stable): the same array when already sorted, as they nearly always are. */
function sortTriples(t: Int32Array): Int32Array {
  const n = t.length / 3;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (t[3 * i] < t[3 * i - 3]) sorted = false;
  if (sorted) return t;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => t[3 * a] - t[3 * b] || a - b);
  const out = new Int32Array(t.length);
  for (let i = 0; i < n; i++) {
    out[3 * i] = t[3 * order[i]];
    out[3 * i + 1] = t[3 * order[i] + 1];
    out[3 * i + 2] = t[3 * order[i] + 2];
  }
  return out;
}

/** Overlapping spans (a heredoc table header seen twice) would confuse clients: the later one goes. */
function dropOverlaps(t: Int32Array): TokenTriples {
  let w = 0;
  for (let r = 0; r < t.length; r += 3) {
    if (w > 0 && t[r] < t[w - 2]) continue;
    t[w] = t[r];
    t[w + 1] = t[r + 1];
    t[w + 2] = t[r + 2];
    w += 3;
  }
  return { data: t, count: w / 3 };
}

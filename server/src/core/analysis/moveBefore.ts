import type { Command, Rule } from '../model/types.ts';
import type { Span } from '../text/span.ts';
import { commandOfRule } from './commandOfRule.ts';
import { commandTool } from './scriptLine.ts';
import type { Fix, FixEdit, RuleContext } from './types.ts';

/**
 * The quick fix for a rule that an earlier rule of its chain keeps every packet from: move its
 * line right before that rule. Only the moved rule's packets change fate. Every rule between
 * the two saw none of them (the earlier rule decided them all first), and the rules before
 * still see them first.
 *
 * In a script both must be appends run by the same words without a shell condition, each
 * alone on its lines, and no variable the moved one reads may be set between the two (it
 * would run before that).
 */
export function moveBeforeFix(ctx: RuleContext, rule: Rule, before: Rule): Fix[] {
  const rs = ctx.ruleSet;
  const moved = ownLines(ctx, rule);
  if (!moved) return [];
  const { from, to } = moved;
  let at: number;
  if (rs.dialect === 'save') {
    at = before.span.start;
    if (!startsLine(ctx, at)) return [];
  } else {
    if (before.guard !== 0) return [];
    const stays = commandOfRule(rs, before);
    if (moved.command?.kind !== 'append' || stays?.kind !== 'append') return [];
    const text = ctx.text;
    // run by the same words (`$IPT`, `sudo iptables`); lines fed to an iptables-restore of the
    // script (a here-document) have none, and one may not move out of its input
    if (commandTool(text, moved.command) !== commandTool(text, stays)) return [];
    at = stays.span.start;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trim()) return [];
    at = lineStart;
    if (setsVariableOf(text.slice(from, to), text.slice(at, from))) return [];
  }
  const { lines, cut } = cutLines(ctx, from, to);
  return [
    {
      title: 'Move this rule before the rule that decides its packets',
      edits: [
        { span: { start: at, end: at }, text: lines },
        { span: cut, text: '' },
      ],
    },
  ];
}

/**
 * Where a rule stands on lines of its own: `from` its line's start to the end of its command
 * (a comment may follow on the last line). A save file's rule line, unless indented; in a
 * script, a command run by iptables (not a here-document's line), under no shell condition,
 * with nothing else on its lines. Undefined otherwise: moving or removing the lines would
 * take something else along.
 */
export function ownLines(ctx: RuleContext, rule: Rule): { from: number; to: number; command?: Command } | undefined {
  const rs = ctx.ruleSet;
  if (rs.dialect === 'save') {
    // a save file's rule span is its whole line, unless it is indented. Read through
    // ctx.read: the check runs after every keystroke, and a big dump just edited is pieces
    // that reading ctx.text would join
    const from = rule.span.start;
    return startsLine(ctx, from) ? { from, to: rule.span.end } : undefined;
  }
  if (rule.guard !== 0) return undefined;
  const command = commandOfRule(rs, rule);
  return command && ownCommandLines(ctx, command);
}

/**
 * A script's command alone on its lines (a comment may follow on the last), run by iptables
 * (not a here-document's line): from its line's start to its end. The caller says whether it
 * may sit under a shell condition.
 */
export function ownCommandLines(ctx: RuleContext, command: Command): { from: number; to: number; command: Command } | undefined {
  if (!commandTool(ctx.text, command)) return undefined;
  const text = ctx.text;
  const from = command.span.start;
  const to = command.span.end;
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  if (text.slice(lineStart, from).trim()) return undefined;
  const eol = text.indexOf('\n', to);
  if (!/^[ \t]*(#.*)?$/.test(text.slice(to, eol === -1 ? text.length : eol))) return undefined;
  return { from: lineStart, to, command };
}

/** Whether `offset` is where a line starts. Read through ctx.read (see ownLines). */
export function startsLine(ctx: RuleContext, offset: number): boolean {
  return offset === 0 || ctx.read(offset - 1, offset) === '\n';
}

/** Where the line holding `offset` starts. Read a piece at a time, back from there. */
export function lineStart(ctx: RuleContext, offset: number): number {
  for (let to = offset; to > 0; to -= 4096) {
    const from = Math.max(0, to - 4096);
    const i = ctx.read(from, to).lastIndexOf('\n');
    if (i !== -1) return from + i + 1;
  }
  return 0;
}

/**
 * The edits that remove whole lines: each range from a line's start to the end of the line
 * holding its end, in any order; undefined when one does not start a line (it would take
 * the text before it along).
 */
export function removeLines(ctx: RuleContext, ranges: readonly { from: number; to: number }[]): FixEdit[] | undefined {
  if (ranges.some((r) => !startsLine(ctx, r.from))) return undefined;
  const edits: FixEdit[] = [];
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    const cut = cutLines(ctx, r.from, r.to).cut;
    const last = edits[edits.length - 1];
    // the last line of a text without a newline takes the newline before it, which may end the line cut before
    if (last && cut.start <= last.span.end) last.span = { start: last.span.start, end: Math.max(last.span.end, cut.end) };
    else edits.push({ span: cut, text: '' });
  }
  return edits;
}

/** Lines from `from` to the end of the line holding `to`: their text with a newline, and the span that cuts them out. */
export function cutLines(ctx: RuleContext, from: number, to: number): { lines: string; cut: Span } {
  const { end, newline } = lineEnd(ctx, to);
  // with the newline after it; the last line of a text without one takes the newline before it
  return newline ? { lines: ctx.read(from, end + 1), cut: { start: from, end: end + 1 } } : { lines: ctx.read(from, end) + '\n', cut: { start: Math.max(0, from - 1), end } };
}

/** Where the line holding `offset` ends: at its newline, or at the end of a text without one. Read a piece at a time. */
export function lineEnd(ctx: RuleContext, offset: number): { end: number; newline: boolean } {
  for (let from = offset; ; from += 4096) {
    const piece = ctx.read(from, from + 4096);
    const i = piece.indexOf('\n');
    if (i !== -1) return { end: from + i, newline: true };
    if (piece.length < 4096) return { end: from + piece.length, newline: false };
  }
}

/**
 * Whether shell text `between` may set a variable that `command` reads: an assignment to it
 * (`NAME=`, `export NAME=`, `local NAME=`…), a `read` or `for` naming it, or a sourced file.
 */
function setsVariableOf(command: string, between: string): boolean {
  const names = new Set([...command.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
  if (names.size === 0) return false;
  if (/(^|[;&|({]\s*|\n\s*)(\.|source)\s/.test(between)) return true;
  for (const name of names) {
    const assigned = new RegExp(`(^|[\\s;&|({])${name}=|\\b(read|for|getopts)\\b[^\\n;]*\\b${name}\\b`);
    if (assigned.test(between)) return true;
  }
  return false;
}

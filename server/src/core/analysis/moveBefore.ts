import type { Rule } from '../model/types.ts';
import { commandOfRule } from './commandOfRule.ts';
import { commandTool } from './scriptLine.ts';
import type { Fix, RuleContext } from './types.ts';

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
  let from: number;
  let to: number;
  let at: number;
  if (rs.dialect === 'save') {
    // a save file's rule span is its whole line, unless it is indented. Read through
    // ctx.read: the check runs after every keystroke, and a big dump just edited is pieces
    // that reading ctx.text would join
    from = rule.span.start;
    to = rule.span.end;
    at = before.span.start;
    const atLineStart = (offset: number) => offset === 0 || ctx.read(offset - 1, offset) === '\n';
    if (!atLineStart(from) || !atLineStart(at)) return [];
  } else {
    if (rule.guard !== 0 || before.guard !== 0) return [];
    const moved = commandOfRule(rs, rule);
    const stays = commandOfRule(rs, before);
    if (moved?.kind !== 'append' || stays?.kind !== 'append') return [];
    const text = ctx.text;
    const startOf = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
    // run by the same words (`$IPT`, `sudo iptables`); lines fed to an iptables-restore of the
    // script (a here-document) have none, and one may not move out of its input
    const tool = commandTool(text, moved);
    if (!tool || tool !== commandTool(text, stays)) return [];
    from = moved.span.start;
    to = moved.span.end;
    at = stays.span.start;
    // the line of each holds nothing but the command (and a comment after the moved one)
    if (text.slice(startOf(from), from).trim() || text.slice(startOf(at), at).trim()) return [];
    const eol = text.indexOf('\n', to);
    if (!/^[ \t]*(#.*)?$/.test(text.slice(to, eol === -1 ? text.length : eol))) return [];
    from = startOf(from);
    at = startOf(at);
    if (setsVariableOf(text.slice(from, to), text.slice(at, from))) return [];
  }
  const { end, newline } = lineEnd(ctx, to);
  // with the newline after it; the last line of a text without one takes the newline before it
  const lines = newline ? ctx.read(from, end + 1) : ctx.read(from, end) + '\n';
  const cut = newline ? { start: from, end: end + 1 } : { start: from - 1, end };
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

/** Where the line holding `offset` ends: at its newline, or at the end of a text without one. Read a piece at a time. */
function lineEnd(ctx: RuleContext, offset: number): { end: number; newline: boolean } {
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

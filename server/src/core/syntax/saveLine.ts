import { ruleParser } from './ruleParser.ts';
import { tokenizeRuleLine, tokenizeSaveLine } from './ruleLineLexer.ts';
import type { SaveLine, SaveLineResult } from './nodes.ts';
import { NONE } from './none.ts';
import { spanIn, type LineAnchor } from '../text/lineSpan.ts';

/**
 * Parses one line of an iptables-save file. `lineText` excludes the newline; `base` is the
 * offset of the line in the document. `shellExpands` marks a heredoc body whose `$…` the
 * shell expands before iptables-restore reads it, `known` the script variables it puts in place
 * (see ShellVariables). With an `anchor` (the line in a document),
 * spans are measured from it and move when it moves (see LineSpan). Never throws.
 */
export function parseSaveLine(lineText: string, base: number, shellExpands = false, anchor?: LineAnchor, known?: (name: string) => string | undefined): SaveLineResult {
  const first = lineText.charCodeAt(0);
  // blank lines and indented comments start with white space (or are empty): most lines are
  // settled by their first character without a regular expression
  const white = lineText.length === 0 || first === 32 || (first >= 9 && first <= 13);
  if (white && /^[ \t\r\v\f]*$/.test(lineText)) return { line: { kind: 'blank', span: spanIn(anchor, base, base + lineText.length) }, issues: NONE };
  const indent = white ? /^[ \t]+#/.exec(lineText) : null;
  if (indent) {
    const start = base + indent[0].length - 1;
    const span = spanIn(anchor, start, base + lineText.length);
    const issue = { code: 'syntax-error' as const, message: 'iptables-restore only reads a comment whose # is the first character of the line.', span };
    return { line: { kind: 'comment', span, text: lineText.trim() }, issues: [issue] };
  }
  // read with one loop (see ruleLineLexer.ts): a rule line, nearly all of a dump, has no
  // header, chain, COMMIT or comment token to look for. No character is out of place: a
  // value takes any that is not blank.
  const ruleLine = !(first === 35 || first === 42 || first === 58 || first === 67);
  const tokens = ruleLine ? tokenizeRuleLine(lineText) : tokenizeSaveLine(lineText);
  const parser = ruleParser();
  parser.base = base;
  parser.shellExpands = shellExpands;
  parser.known = known;
  parser.anchor = anchor;
  parser.issues = [];
  const line: SaveLine = parser.saveLineOf(tokens);
  const issues = parser.issues;
  // a line built from the plan of its shape has no parser errors (see RuleParser.saveLineOf)
  if (!parser.replayed) for (const e of parser.errors) {
    const start = base + (Number.isFinite(e.token.startOffset) ? e.token.startOffset : lineText.length);
    issues.push({ code: 'syntax-error', message: e.message, span: spanIn(anchor, start, start + (e.token.image?.length || 1)) });
  }
  parser.release();
  if (line === undefined || (line as unknown) === null) {
    return { line: { kind: 'comment', span: spanIn(anchor, base, base + lineText.length), text: lineText }, issues };
  }
  if (line.kind === 'rule') issues.push(...line.args.issues);
  return { line, issues: issues.length ? issues : NONE };
}

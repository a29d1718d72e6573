import type { Span } from '../../text/span.ts';
import { lineAfter } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** Lines of a table block: chain and rule lines, blank and comment lines between them. */
const CONTENT = /^\s*[:-]/;
const FILLER = /^\s*(#.*)?$/;

/** `COMMIT` on its own line after the block's last chain or rule line, in the file's line ending. */
function commitFix(ctx: RuleContext, header: Span): Fix[] {
  const text = ctx.text;
  const last = ctx.ruleSet.dialect === 'save' ? lastLineOfBlock(text, header) : lastLineInHereDoc(text, header);
  const { at, newline } = lineAfter(text, { span: last });
  // the line ending of the file's lines (CRLF files stay CRLF)
  const eol = text[last.end] === '\r' ? '\r\n' : '\n';
  return [{ title: 'Close the block with COMMIT', edits: [{ span: { start: at, end: at }, text: `${newline ? eol : ''}COMMIT${eol}` }] }];
}

/**
 * A save file: the block ends at the next `*table` line or the end of the file, and its last
 * line is the last one before that which is not blank or a comment. Found from the end, as
 * this runs on every analysis while the COMMIT is missing (a 15 MB dump's block is read
 * line by line otherwise).
 */
function lastLineOfBlock(text: string, header: Span): Span {
  const next = text.indexOf('\n*', header.end);
  let end = next === -1 ? text.length : next;
  while (end > header.end) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (!FILLER.test(line)) return { start, end: start + line.length };
    end = start - 1;
  }
  return header;
}

/** An `iptables-restore <<EOF` here-document: the block ends at a line that is not part of a table (the delimiter). */
function lastLineInHereDoc(text: string, header: Span): Span {
  let last = header;
  let at = header.end;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const start = nl === -1 ? text.length : nl + 1;
    if (start >= text.length) break;
    const next = text.indexOf('\n', start);
    const line = text.slice(start, next === -1 ? text.length : next).replace(/\r$/, '');
    if (CONTENT.test(line)) last = { start, end: start + line.length };
    else if (!FILLER.test(line)) break;
    at = start;
  }
  return last;
}

export const missingCommit: LintRule = {
  code: 'missing-commit',
  severity: 'error',
  summary: 'A `*table` block not closed by `COMMIT`.',
  docs: {
    description: 'Reports a `*table` header whose block ends (at the next `*table` or at the end of the file) without a `COMMIT` line. The quick fix adds `COMMIT` after the block\'s last chain or rule line.',
    rationale: 'iptables-restore only loads a table when it reads its COMMIT; without it the table\'s rules are silently dropped and the restore fails with "COMMIT expected".',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const issue of ctx.ruleSet.issues) {
      if (issue.code === 'missing-commit') ctx.report({ span: issue.span, message: issue.message, fixes: commitFix(ctx, issue.span) });
    }
  },
};

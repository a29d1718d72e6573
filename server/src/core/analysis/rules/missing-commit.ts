import type { Span } from '../../text/span.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** Lines of a table block: chain and rule lines, blank and comment lines between them. */
const CONTENT = /^\s*[:-]/;
const FILLER = /^\s*(#.*)?$/;

/** `COMMIT` on its own line after the block's last chain or rule line, in the file's line ending. */
function commitFix(ctx: RuleContext, header: Span): Fix[] {
  const text = ctx.text;
  const lastEnd = ctx.ruleSet.dialect === 'save' ? lastLineOfBlock(text, header) : lastLineInHereDoc(text, header);
  const nl = text.indexOf('\n', lastEnd);
  // the line ending of the file's lines (CRLF files stay CRLF)
  const eol = nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
  const edit = nl === -1 ? { span: { start: text.length, end: text.length }, text: `${eol}COMMIT${eol}` } : { span: { start: nl + 1, end: nl + 1 }, text: `COMMIT${eol}` };
  return [{ title: 'Close the block with COMMIT', edits: [edit] }];
}

/**
 * A save file: the block ends at the next `*table` line or the end of the file, and its last
 * line is the last one before that which is not blank or a comment. Found from the end, as
 * this runs on every analysis while the COMMIT is missing (a 15 MB dump's block is read
 * line by line otherwise).
 */
function lastLineOfBlock(text: string, header: Span): number {
  const next = text.indexOf('\n*', header.end);
  let end = next === -1 ? text.length : next;
  while (end > header.end) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    if (!FILLER.test(text.slice(start, end).replace(/\r$/, ''))) return end;
    end = start - 1;
  }
  return header.end;
}

/** An `iptables-restore <<EOF` here-document: the block ends at a line that is not part of a table (the delimiter). */
function lastLineInHereDoc(text: string, header: Span): number {
  let lastEnd = header.end;
  let at = header.end;
  while (at < text.length) {
    const nl = text.indexOf('\n', at);
    const start = nl === -1 ? text.length : nl + 1;
    if (start >= text.length) break;
    const next = text.indexOf('\n', start);
    const line = text.slice(start, next === -1 ? text.length : next).replace(/\r$/, '');
    if (CONTENT.test(line)) lastEnd = start + line.length;
    else if (!FILLER.test(line)) break;
    at = start;
  }
  return lastEnd;
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

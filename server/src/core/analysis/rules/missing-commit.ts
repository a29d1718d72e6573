import type { Span } from '../../text/span.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** Lines of a table block: chain and rule lines, blank and comment lines between them. */
const CONTENT = /^\s*[:-]/;
const FILLER = /^\s*(#.*)?$/;

/**
 * `COMMIT` on its own line after the block's last chain or rule line: the block runs from its
 * header over chain, rule, blank and comment lines, up to the next `*table`, the end of the
 * file, or any other line (the end of an `iptables-restore <<EOF` here-document).
 */
function commitFix(ctx: RuleContext, header: Span): Fix[] {
  const text = ctx.text;
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
  const nl = text.indexOf('\n', lastEnd);
  // the line ending of the file's lines (CRLF files stay CRLF)
  const eol = nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
  const edit = nl === -1 ? { span: { start: text.length, end: text.length }, text: `${eol}COMMIT${eol}` } : { span: { start: nl + 1, end: nl + 1 }, text: `COMMIT${eol}` };
  return [{ title: 'Close the block with COMMIT', edits: [edit] }];
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

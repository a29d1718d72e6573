import { HEAD_CHARS, skipReason } from '../../limits.ts';
import type { LintRule } from '../types.ts';

const mb = (n: number) => `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)} MB`;

export const analysisSkipped: LintRule = {
  code: 'analysis-skipped',
  severity: 'info',
  summary: 'The file is not analysed: it is binary, or larger than the size limit (20 MB by default).',
  docs: {
    description: 'Reported once, on the first line, when the file holds NUL bytes in its first 64 KiB (a binary file opened by mistake) or is larger than the size limit (20 MB, about 130,000 kube-proxy rules). Nothing else is checked in such a file; hover, completion and navigation have no model to work on.',
    rationale: 'A model of a 50 MB file would take gigabytes of memory and seconds per keystroke in the editor; a binary file would only give thousands of meaningless syntax errors. Saying so is better than a frozen editor or a wall of noise. The command line tool applies the same limit.',
    bad: { dialect: 'save', text: '*filter\n\u0000\u0001\u0002\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    // runs on every edit: the start is read, not the whole text (see RuleContext.read)
    const why = skipReason(ctx.read(0, HEAD_CHARS), ctx.settings.maxBytes, ctx.text.length);
    if (!why) return;
    if (why.kind === 'binary') {
      ctx.report({ span: { start: why.at, end: why.at + 1 }, message: 'This looks like a binary file (it holds NUL bytes), not iptables rules: it is not analysed.' });
      return;
    }
    const eol = ctx.text.indexOf('\n');
    ctx.report({
      span: { start: 0, end: eol === -1 ? Math.min(ctx.text.length, 200) : eol },
      message: `This file is ${mb(why.size)}, over the ${mb(why.limit)} that iptables-lint analyses: no checks, hover or completion in it. Split it, or lint a part of it.`,
    });
  },
};

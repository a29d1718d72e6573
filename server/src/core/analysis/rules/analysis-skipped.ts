import { HEAD_CHARS, memorySkip, skipReason } from '../../limits.ts';
import type { LintRule } from '../types.ts';

const mb = (n: number) => `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)} MB`;
/** Heap sizes: MB, or GB from 1 GB (binary units, as Node and V8 state heap limits). */
const heap = (n: number) => (n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.round(n / 1024 ** 2)} MB`);

export const analysisSkipped: LintRule = {
  code: 'analysis-skipped',
  severity: 'info',
  summary: 'The file is not analysed: it is binary, larger than the size limit (20 MB by default), or its model would not fit in the memory left.',
  docs: {
    description: 'Reported once, on the first line, when the file holds NUL bytes in its first 64 KiB (a binary file opened by mistake) or is larger than the size limit (20 MB, about 130,000 kube-proxy rules), or when its model would take more memory than the process has left for it: about 20 bytes per character of a save file and 70 of a shell script, whose model keeps the shell commands and their words beside the rules (a 12 MB script of 100,000 rules takes about 800 MB). The language server counts the documents already open against its heap limit (Node gives a process about a quarter of the machine memory, at most 4 GB, unless `--max-old-space-size` says otherwise) and judges a document again when one it made room for is closed; the command line tool counts what it holds at the time. Nothing else is checked in such a file; hover, completion and navigation have no model to work on.',
    rationale: 'A model of a 50 MB file would take gigabytes of memory and seconds per keystroke in the editor; a binary file would only give thousands of meaningless syntax errors. A model that does not fit in the heap ends the process: the language server, and the findings of every open document with it. Saying so is better than a frozen editor, a crashed server or a wall of noise. The command line tool applies the same limits.',
    bad: { dialect: 'save', text: '*filter\n\u0000\u0001\u0002\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    // runs on every edit: the start is read, not the whole text (see RuleContext.read)
    const why = skipReason(ctx.read(0, HEAD_CHARS), ctx.settings.maxBytes, ctx.text.length) ?? memorySkip(ctx.text.length, ctx.ruleSet.dialect, ctx.settings.memoryRoom);
    if (!why) return;
    if (why.kind === 'binary') {
      ctx.report({ span: { start: why.at, end: why.at + 1 }, message: 'This looks like a binary file (it holds NUL bytes), not iptables rules: it is not analysed.' });
      return;
    }
    const eol = ctx.text.indexOf('\n');
    const firstLine = { start: 0, end: eol === -1 ? Math.min(ctx.text.length, 200) : eol };
    if (why.kind === 'memory') {
      ctx.report({
        span: firstLine,
        message: `Analysing this ${ctx.ruleSet.dialect === 'script' ? 'script' : 'file'} (${mb(why.size)}) would take about ${heap(why.needs)} of memory, more than the ${heap(why.room)} iptables-lint has left for it: no checks, hover or completion in it. Close other large files in the editor, or split it.`,
      });
      return;
    }
    ctx.report({
      span: firstLine,
      message: `This file is ${mb(why.size)}, over the ${mb(why.limit)} that iptables-lint analyses: no checks, hover or completion in it. Split it, or lint a part of it.`,
    });
  },
};

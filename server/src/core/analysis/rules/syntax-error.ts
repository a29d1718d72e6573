import type { LintRule } from '../types.ts';
import { SCRIPT_BOM_PROBLEM } from '../../model/scriptEncoding.ts';

export const syntaxError: LintRule = {
  code: 'syntax-error',
  severity: 'error',
  summary: 'A line or command iptables cannot parse: unterminated quote, stray word, option missing its value.',
  docs: {
    description:
      'Reports text that iptables or iptables-restore would refuse before looking at what the rule means: a quote that is never closed, a word that belongs to no option, an option without its value or with one too many, a rule outside a `*table` block, a comment that does not start at the beginning of the line, CRLF line endings or a byte order mark, in a save file and in a script (where the shell reads the `\\r` into each line\'s last word, and a program that runs the script finds no interpreter or no `#!`); in an editor, which hides the mark, the language server reads it from the file on disk. A file of `iptables -L` output (a `Chain INPUT (policy ACCEPT)` heading first), which people save where rules belong, gets one finding on that heading instead of one on every line.',
    rationale: 'iptables-restore rejects the whole file at the first such line, so none of its rules are loaded; a script stops halfway with some rules applied and others not.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport -j ACCEPT\n-A INPUT -j ACCEPT # allow everything\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n# allow everything\n-A INPUT -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const issue of ctx.ruleSet.issues) {
      if (issue.code !== 'syntax-error') continue;
      // the text meant changes what the line does (it loads now): offered, never applied unasked
      const fixes = issue.replace && [{ title: issue.replace.text === '' ? `Remove '${ctx.read(issue.span.start, issue.span.end)}'` : `Write ${issue.replace.text}`, edits: [issue.replace] }];
      ctx.report({ span: issue.span, message: issue.message, ...(fixes ? { fixes } : {}), ...(issue.severity ? { severity: issue.severity } : {}) });
    }
    // a mark in the text itself is one of the issues above
    if (ctx.settings.savedWithByteOrderMark && ctx.read(0, 1) !== '\uFEFF') {
      const hidden = 'The editor does not show the mark; save the file as UTF-8 without a BOM (in VS Code: the encoding in the status bar, Save with Encoding, UTF-8).';
      ctx.report({
        span: { start: 0, end: 0 },
        message: ctx.ruleSet.dialect === 'save' ? `The file is saved with a UTF-8 byte order mark: iptables-restore fails on line 1. ${hidden}` : `${SCRIPT_BOM_PROBLEM} ${hidden}`,
      });
    }
  },
};

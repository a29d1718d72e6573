import type { LintRule } from '../types.ts';

export const missingCommit: LintRule = {
  code: 'missing-commit',
  severity: 'error',
  summary: 'A `*table` block not closed by `COMMIT`.',
  docs: {
    description: 'Reports a `*table` header whose block ends (at the next `*table` or at the end of the file) without a `COMMIT` line.',
    rationale: 'iptables-restore only loads a table when it reads its COMMIT; without it the table\'s rules are silently dropped and the restore fails with "COMMIT expected".',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const issue of ctx.ruleSet.issues) {
      if (issue.code === 'missing-commit') ctx.report({ span: issue.span, message: issue.message });
    }
  },
};

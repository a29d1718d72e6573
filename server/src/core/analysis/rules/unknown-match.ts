import { matches } from '../../knowledge/index.ts';
import { nearestName } from '../nearestName.ts';
import type { LintRule } from '../types.ts';

const NAMES = matches.flatMap((m) => [m.name, ...(m.aliases ?? [])]);

export const unknownMatch: LintRule = {
  code: 'unknown-match',
  severity: 'error',
  summary: 'A `-m` match extension iptables does not have.',
  docs: {
    description: 'Reports the name after `-m` / `--match` when no match extension has it. Names are case-sensitive: `-m TCP` is not `-m tcp`.',
    rationale: 'iptables refuses the rule ("Couldn\'t load match"), and in a restore file the whole file.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -m conntrak --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const problems = cmd.problems;
    for (let i = 0; i < problems.length; i++) {
      const p = problems[i];
      if (p.kind !== 'unknown-match') continue;
      const near = nearestName(p.name, NAMES);
      ctx.report({
        span: p.span,
        message: `There is no match extension '${p.name}'${near ? `; did you mean '${near}'?` : '.'}`,
        fixes: near ? [{ title: `Change to '${near}'`, edits: [{ span: p.span, text: near }] }] : undefined,
      });
    }
  },
};

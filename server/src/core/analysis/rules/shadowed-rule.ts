import { shadows } from '../shadowing.ts';
import type { LintRule } from '../types.ts';

export const shadowedRule: LintRule = {
  code: 'shadowed-rule',
  severity: 'warning',
  summary: 'Every packet the rule matches is already decided differently by an earlier rule.',
  docs: {
    description: 'Reports a rule when an earlier rule of the same chain matches every packet it matches and gives a different verdict. Containment is proved on protocols, addresses and prefixes, interfaces with `+`, ports and ranges and conntrack states; a rule with any other test is never reported. In scripts, an earlier rule added under a shell condition (an if, case or loop, after && or ||) may not be there: it hides only rules added under the same condition.',
    rationale: 'The later rule never takes effect: an exception written after the general rule (`-A INPUT -s 10.0.0.0/8 -j DROP` then an accept for 10.1.2.3) is a classic mistake.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.2.3 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -s 10.1.2.3 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    for (const s of shadows(ctx.ruleSet)) {
      if (s.same) continue;
      ctx.report({ span: s.rule.span, message: `Never takes effect: an earlier rule already ${s.by.target!.name === 'ACCEPT' ? 'accepts' : s.by.target!.name === 'DROP' ? 'drops' : 'rejects'} every packet this rule matches.`, related: [{ span: s.by.span, message: 'decides these packets first' }] });
    }
  },
};

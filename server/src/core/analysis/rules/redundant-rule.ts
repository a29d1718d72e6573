import { removeRuleFix } from '../removeRule.ts';
import { decision, shadows, statesSplit } from '../shadowing.ts';
import type { LintRule } from '../types.ts';

export const redundantRule: LintRule = {
  code: 'redundant-rule',
  severity: 'info',
  summary: 'Every packet the rule matches is already decided the same way by an earlier rule.',
  docs: {
    description: 'Reports a rule when an earlier rule of the same chain matches every packet it matches and decides the same way: the same verdict, or in nat the same translation to the same address (a duplicate, or a narrower copy of a broader rule). Containment is proved as for `shadowed-rule`, earlier rules that together decide every connection state included. A quick fix removes the rule, where it stands on lines of its own and no command of its chain counts rules by number.',
    rationale: 'It changes nothing, costs a little on every packet, and usually hints that a script ran twice or a rule was edited in one place only.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 20:25 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 20:25 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const s of shadows(ctx.ruleSet)) {
      if (!s.same) continue;
      if (s.byState) {
        ctx.report({ span: s.rule.span, message: `Redundant: earlier rules already decide every packet this rule matches as it does (-j ${s.rule.target!.name}), each in some connection states (${statesSplit(s.byState)}).`, related: s.byState.map((p) => ({ span: p.rule.span, message: `covers its ${p.states.join(',')} packets` })), fixes: removeRuleFix(ctx, s.rule) });
        continue;
      }
      ctx.report({ span: s.rule.span, message: `Redundant: an earlier rule already ${decision(s.by.target!, s.table)}.`, related: [{ span: s.by.span, message: 'covers this rule' }], fixes: removeRuleFix(ctx, s.rule) });
    }
  },
};

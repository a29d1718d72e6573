import { chainFacts } from '../chainGraph.ts';
import { dominates } from '../dominates.ts';
import { moveBeforeFix } from '../moveBefore.ts';
import { decidedAboveIn } from '../shadowing.ts';
import type { LintRule } from '../types.ts';
import type { Rule } from '../../model/types.ts';
import { chainEnds } from '../chainDecides.ts';


export const unreachableRule: LintRule = {
  code: 'unreachable-rule',
  severity: 'warning',
  summary: 'A rule after an unconditional terminal rule in the same chain (a verdict, RETURN, a goto, or a jump to a chain that decides every packet).',
  docs: {
    description: 'Reports rules that follow, in the same chain, a rule without any test whose target ends the chain (ACCEPT, DROP, REJECT, RETURN, a goto, or a jump to a user chain that gives every packet a verdict, such as a log-and-drop chain): no packet ever reaches them. In scripts that rule must be there whenever the later one is: one added inside an if, case or loop, or after && or ||, hides only the rules added under the same condition. The quick fix moves the rule right before the rule that ends the chain, as for `shadowed-rule`; it is not offered where a rule above that one already decides every packet of the moved rule, which would still never take effect.',
    rationale: 'Usually a rule appended after a catch-all DROP (`-A INPUT -j DROP` then `-A INPUT ... -j ACCEPT`): the intended accept never takes effect. Insert it before, or use -I.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const facts = chainFacts(rs);
    for (const t of rs.tables.values()) {
      // only rules without tests can decide every packet: most chains have none. Plain loops,
      // no list or closure per chain: this runs after every edit, over a kube-proxy dump's
      // 36,000 chains
      const unconditional = facts.graph(t).unconditional;
      const { ends } = chainEnds(t, unconditional);
      for (const c of unconditional.keys()) {
        const plain = unconditional.get(c)!;
        let first = -1;
        for (const i of plain) {
          if (ends(c.rules[i])) {
            first = i;
            break;
          }
        }
        if (first === -1) continue;
        let decidedAbove: ReturnType<typeof decidedAboveIn> | undefined;
        for (let k = first + 1; k < c.rules.length; k++) {
          const r = c.rules[k];
          // the rule that ends the chain must be there whenever this one is (see dominates)
          let by: Rule | undefined;
          let at = -1;
          for (const i of plain) {
            if (i >= k) break;
            if (ends(c.rules[i]) && dominates(rs, c.rules[i], r)) {
              by = c.rules[i];
              at = i;
              break;
            }
          }
          if (by) {
            const via = by.target!.spec || by.target!.goto ? '' : `, whose chain decides every packet it sees`;
            // moved up, a rule an earlier one decides all the packets of would still do nothing
            decidedAbove ??= decidedAboveIn(rs, t, c);
            const fixes = decidedAbove(k, at) ? [] : moveBeforeFix(ctx, r, by);
            ctx.report({ span: r.span, message: `Never reached: the rule before it in ${c.name} (-j ${by.target!.name}, no conditions${via}) decides every packet first.`, related: [{ span: by.span, message: 'decides every packet' }], fixes });
          }
        }
      }
    }
  },
};


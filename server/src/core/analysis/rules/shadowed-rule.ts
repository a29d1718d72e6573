import { decision, shadows } from '../shadowing.ts';
import type { LintRule } from '../types.ts';

export const shadowedRule: LintRule = {
  code: 'shadowed-rule',
  severity: 'warning',
  summary: 'Every packet the rule matches is already decided differently (another verdict, another translation, RETURN) by an earlier rule.',
  docs: {
    description: 'Reports a rule when an earlier rule of the same chain matches every packet it matches and decides otherwise: another verdict (ACCEPT, DROP, REJECT), in nat another translation (DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP) or none (ACCEPT), or RETURN, after which the packet never meets the rest of the chain. A connection gets at most one translation per chain, so a second DNAT for the same port never applies: one port cannot be forwarded to two servers this way. Containment is proved on protocols, addresses and prefixes, interfaces with `+`, ports and ranges and conntrack states; a rule with any other test is never reported. In scripts, an earlier rule added under a shell condition (an if, case or loop, after && or ||) may not be there: it hides only rules added under the same condition.',
    rationale: 'The later rule never takes effect: an exception written after the general rule (`-A INPUT -s 10.0.0.0/8 -j DROP` then an accept for 10.1.2.3) is a classic mistake.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.2.3 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -s 10.1.2.3 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    for (const s of shadows(ctx.ruleSet)) {
      if (s.same) continue;
      ctx.report({ span: s.rule.span, message: `Never takes effect: an earlier rule already ${decision(s.by.target!, s.table)}.`, related: [{ span: s.by.span, message: 'decides these packets first' }] });
    }
  },
};

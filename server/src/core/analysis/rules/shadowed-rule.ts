import { moveBeforeFix } from '../moveBefore.ts';
import { decision, shadows, statesSplit } from '../shadowing.ts';
import type { Rule } from '../../model/types.ts';
import type { LintRule } from '../types.ts';

export const shadowedRule: LintRule = {
  code: 'shadowed-rule',
  severity: 'warning',
  summary: 'Every packet the rule matches is already decided differently (another verdict, another translation, RETURN) by an earlier rule.',
  docs: {
    description: 'Reports a rule when an earlier rule of the same chain matches every packet it matches and decides otherwise: another verdict (ACCEPT, DROP, REJECT), in nat another translation (DNAT, SNAT, MASQUERADE, REDIRECT, NETMAP) or none (ACCEPT), or RETURN, a goto (`-g`) or a jump to a user chain that decides every packet it gets (a log-and-drop chain), after which the packet never meets the rest of the chain. (A user chain is compared only when a verdict, a translation, RETURN, a goto or a jump to a chain that decides every packet comes before its last rule; a built-in chain when any jump does.) The later rule may be any rule: a LOG, a MARK, a jump to a user chain or a counter without target never sees those packets either. A connection gets at most one translation per chain, so a second DNAT for the same port never applies: one port cannot be forwarded to two servers this way. Containment is proved on protocols, addresses and prefixes, interfaces with `+`, ports and ranges and conntrack states; a rule with any other test is never reported. Earlier rules that split the packets by connection state decide them together: accepting ESTABLISHED,RELATED, dropping INVALID and accepting NEW to port 22 leaves no packet to port 22 for a rate limit written after them (`-m recent --update … -j DROP`), a common mistake; UNTRACKED counts as a state only where the raw table untracks some packets (NOTRACK, `CT --notrack`), or for ip6tables rules that may match ICMPv6 (conntrack leaves neighbour discovery untracked): conntrack tracks every other packet. In scripts, an earlier rule added under a shell condition (an if, case or loop, after && or ||) may not be there: it hides only rules added under the same condition. The quick fix moves the rule right before the one that decides its packets (in a script, when both are appends run by the same words without a condition, each alone on its lines, and no variable the moved command reads is set between them): only its own packets change fate.',
    rationale: 'The later rule never takes effect: an exception written after the general rule (`-A INPUT -s 10.0.0.0/8 -j DROP` then an accept for 10.1.2.3) is a classic mistake, and so is a LOG written after the DROP whose packets it was meant to record (it logs nothing), or fail2ban\'s jump added after the accept of the port it guards (it bans nobody).',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.2.3 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -s 10.1.2.3 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    for (const s of shadows(ctx.ruleSet)) {
      if (s.same) continue;
      if (s.byState) {
        ctx.report({
          span: s.rule.span,
          message: `${effect(s.rule)}: earlier rules decide every packet it matches by connection state (${statesSplit(s.byState)}), so none reaches it.`,
          related: s.byState.map((p) => ({ span: p.rule.span, message: `decides its ${p.states.join(',')} packets first (-j ${p.rule.target!.name})` })),
          fixes: moveBeforeFix(ctx, s.rule, s.by),
        });
        continue;
      }
      ctx.report({ span: s.rule.span, message: `${effect(s.rule)}: an earlier rule already ${decision(s.by.target!, s.table)}.`, related: [{ span: s.by.span, message: 'decides these packets first' }], fixes: moveBeforeFix(ctx, s.rule, s.by) });
    }
  },
};

/** What the later rule never does, for its message. */
function effect(r: Rule): string {
  const t = r.target;
  if (!t) return 'Never counts a packet';
  if (t.name === 'LOG' || t.name === 'NFLOG' || t.name === 'ULOG') return 'Never logs';
  if (!t.spec) return `Never jumps to ${t.name}`;
  return 'Never takes effect';
}

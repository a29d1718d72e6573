import { chainFacts } from '../chainGraph.ts';
import { presentWhenAdded } from '../presentWhenAdded.ts';
import { spanInRule } from '../spanInRule.ts';
import { estimatorUses, sameTiming, type EstimatorMade } from '../rateEstimators.ts';
import type { Fix, LintRule } from '../types.ts';

export const rateEstimatorRedefined: LintRule = {
  code: 'rate-estimator-redefined',
  severity: 'error',
  summary: 'A RATEEST naming an estimator an earlier RATEEST makes with another --rateest-interval or --rateest-ewmalog: iptables refuses the rule.',
  docs: {
    description: 'Collects the RATEEST targets of the rules added, in the order they are added, by estimator name (its first 15 characters, which is all the kernel keeps; IPv4 and IPv6 rules and every table share the names), and compares each with the first one of its name where that rule is certainly in place when this one is added (a script adds it whenever it adds this one and does not take it away). The two are compared as iptables hands them to the kernel: the interval rounded up to 250 ms times a power of two (200ms and 250ms are the same), and the averaging weight worked out from the interval and the ewmalog. The fix writes the first rule\'s interval and ewmalog into this one.',
    rationale: 'Rules with the same `--rateest-name` count into one estimator, made by the first of them; the kernel refuses a later one that asks for other timing ("RULE_APPEND failed (Invalid argument)", measured with iptables 1.8.9 in a network namespace, in the same table or not, from ip6tables too). In a restore file the whole load fails; a script goes on without the rule. The estimator lives as long as a rule uses it, so on a host a changed interval is refused until the old rules are gone.',
    bad: { dialect: 'script', text: 'iptables -t mangle -A PREROUTING -i eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms\niptables -t mangle -A POSTROUTING -o eth0 -j RATEEST --rateest-name wan --rateest-interval 1s --rateest-ewmalog 2s\n' },
    good: { dialect: 'script', text: 'iptables -t mangle -A PREROUTING -i eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms\niptables -t mangle -A POSTROUTING -o eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const { made } = estimatorUses(chainFacts(rs).sharedByName);
    if (made.length < 2) return;
    const first = new Map<string, EstimatorMade>();
    for (const u of made) {
      const m = first.get(u.name);
      if (!m) {
        first.set(u.name, u);
        continue;
      }
      if (sameTiming(m, u) || m.rule === u.rule || !presentWhenAdded(rs, m.rule, u.rule)) continue;
      const [mi, me, ui, ue] = [m.interval!.values[0], m.ewma!.values[0], u.interval!.values[0], u.ewma!.values[0]];
      const fixes: Fix[] = [{ title: `Use the estimator's ${mi.value} and ${me.value}`, edits: [{ span: ui.span, text: mi.value }, { span: ue.span, text: me.value }] }];
      ctx.report({
        span: spanInRule(u.rule, u.nameOption.item.span, u.nameOption.values[0].span),
        message: `The rate estimator ${u.name} is made by an earlier RATEEST with --rateest-interval ${mi.value} --rateest-ewmalog ${me.value}: iptables refuses this one (Invalid argument), whose ${ui.value} and ${ue.value} differ. Rules naming an estimator count into it as it was made: use the same interval and ewmalog, or another name.`,
        related: [{ span: m.rule.span, message: `makes the estimator ${u.name}` }],
        fixes,
      });
    }
  },
};

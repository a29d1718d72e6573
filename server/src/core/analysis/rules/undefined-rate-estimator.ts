import { chainFacts } from '../chainGraph.ts';
import { nearestName } from '../nearestName.ts';
import { estimatorUses } from '../rateEstimators.ts';
import { spanInRule } from '../spanInRule.ts';
import type { LintRule } from '../types.ts';

export const undefinedRateEstimator: LintRule = {
  code: 'undefined-rate-estimator',
  severity: 'warning',
  summary: 'A -m rateest naming an estimator that a RATEEST rule makes only further down, or a misspelt one: iptables refuses the rule while no estimator of that name exists.',
  docs: {
    description: 'Follows the RATEEST targets of the rules added, in the order they are added, and checks each estimator a rateest match reads (`--rateest`, `--rateest1`, `--rateest2`; by its first 15 characters, the same for IPv4 and IPv6 and every table). An estimator that a RATEEST makes only further down is reported: an error in a restore file, whose load fails on a host where it does not exist yet (a fresh boot), a warning in a script, where it may be left from an earlier run. An estimator no rule makes is reported where a RATEEST makes one with a near name (a typo), with a fix; otherwise it is left alone, as a rule of another file may make it. A RATEEST above that a script adds only under a condition, or takes away, makes the check stand down for that name.',
    rationale: 'An estimator exists only while a RATEEST rule that names it is in the kernel, and the kernel refuses a rateest match naming one that does not ("RULE_APPEND failed (No such file or directory)", measured with iptables 1.8.9 in a network namespace). iptables-save writes the mangle table, where RATEEST usually is, before filter, but a restore file written by hand with its filter block first fails on a fresh boot (iptables-restore: "line 2 failed"), while it loads on the running host, where the old rules keep the estimator.',
    bad: { dialect: 'save', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m rateest --rateest wan --rateest-gt --rateest-bps 10mbit -j DROP\nCOMMIT\n*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms\nCOMMIT\n' },
    good: { dialect: 'save', text: '*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -j RATEEST --rateest-name wan --rateest-interval 250ms --rateest-ewmalog 500ms\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m rateest --rateest wan --rateest-gt --rateest-bps 10mbit -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const { made, read } = estimatorUses(chainFacts(rs).sharedByName);
    if (!read.length || !made.length) return;
    const names = new Set(made.map((m) => m.name));
    for (const r of read) {
      const before = made.filter((m) => m.name === r.name && m.at < r.at);
      // made above: in place when this rule is added, or not certainly (a condition, a flush)
      if (before.length) continue;
      const later = made.find((m) => m.name === r.name && m.at > r.at);
      if (later) {
        const save = rs.dialect === 'save';
        ctx.report({
          span: spanInRule(r.rule, r.word.span),
          severity: save ? 'error' : 'warning',
          message: save
            ? `The rate estimator ${r.name} is made only by a RATEEST further down: where no estimator of that name exists yet (a fresh boot), iptables refuses this rule (No such file or directory) and iptables-restore the whole file. Put the RATEEST rule's table block first.`
            : `The rate estimator ${r.name} is made only by a RATEEST further down: iptables refuses this rule (No such file or directory) unless an estimator of that name is left from an earlier run. Add the RATEEST rule first.`,
          related: [{ span: later.rule.span, message: `makes the estimator ${r.name}` }],
        });
        continue;
      }
      const near = nearestName(r.name, names);
      if (near) {
        ctx.report({
          span: spanInRule(r.rule, r.word.span),
          message: `No RATEEST rule makes the rate estimator ${r.name}, and iptables refuses a rule reading one that does not exist (No such file or directory). Did you mean ${near}? Names are case-sensitive.`,
          fixes: [{ title: `Read the estimator ${near}`, edits: [{ span: r.word.span, text: near }] }],
        });
      }
    }
  },
};

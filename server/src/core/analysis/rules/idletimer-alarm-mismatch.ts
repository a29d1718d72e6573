import { chainFacts } from '../chainGraph.ts';
import { timerUses, type TimerUse } from '../idleTimers.ts';
import { presentWhenAdded } from '../presentWhenAdded.ts';
import { spanInRule } from '../spanInRule.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** Makes `u` the kind of timer `first` made: adds its `--alarm`, or takes this one's away. */
function alarmFix(u: TimerUse, first: TimerUse, ctx: RuleContext): Fix {
  if (!u.alarm) return { title: 'Add --alarm, as the rule that makes the timer has', edits: [{ span: { start: u.labelOption.item.span.end, end: u.labelOption.item.span.end }, text: ' --alarm' }] };
  const s = u.alarm.item.span;
  // the option with the blank before it, so no double space is left behind
  const start = s.start > 0 && ctx.read(s.start - 1, s.start) === ' ' ? s.start - 1 : s.start;
  return { title: `Remove --alarm, as the rule that makes the timer ${first.label} has none`, edits: [{ span: { start, end: s.end }, text: '' }] };
}

export const idletimerAlarmMismatch: LintRule = {
  code: 'idletimer-alarm-mismatch',
  severity: 'error',
  summary: 'An IDLETIMER whose --label names a timer an earlier IDLETIMER makes, one with --alarm and the other without: the kernel refuses the rule.',
  docs: {
    description: 'Collects the IDLETIMER targets of the rules added, in the order they are added, by label (its first 27 characters, which is all iptables passes on; every table and both address families share the labels), and compares each with the first one of its label where that rule is certainly in place when this one is added (a script adds it whenever it adds this one and does not take it away). A rule whose `--alarm` differs from that first rule\'s is reported. The fix adds or removes `--alarm` to match the first rule.',
    rationale: 'Rules with the same `--label` restart one timer, made by the first of them; the kernel refuses a later rule that asks for the other kind of timer, an alarm timer where the first is a plain one or the reverse ("RULE_APPEND failed (Invalid argument)", measured with iptables 1.8.9 on kernel 6.18, nf_tables and legacy, in the same table or not, from ip6tables too). The timers are kept for the whole machine, not per network namespace: a label a container\'s rules hold is refused the same way. In a restore file the whole load fails; a script goes on without the rule. A timer lives as long as a rule uses it, so on a host the kind of a label cannot change until the old rules are gone. Another `--timeout` on the same label loads (each rule restarts the timer with its own).',
    bad: { dialect: 'script', text: 'iptables -t mangle -A PREROUTING -i wlan0 -j IDLETIMER --timeout 60 --label wlan0\niptables -t mangle -A POSTROUTING -o wlan0 -j IDLETIMER --timeout 60 --label wlan0 --alarm\n' },
    good: { dialect: 'script', text: 'iptables -t mangle -A PREROUTING -i wlan0 -j IDLETIMER --timeout 60 --label wlan0 --alarm\niptables -t mangle -A POSTROUTING -o wlan0 -j IDLETIMER --timeout 60 --label wlan0 --alarm\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const uses = timerUses(chainFacts(rs).sharedByName);
    if (uses.length < 2) return;
    const first = new Map<string, TimerUse>();
    for (const u of uses) {
      const m = first.get(u.label);
      if (!m) {
        first.set(u.label, u);
        continue;
      }
      if (!m.alarm === !u.alarm || m.rule === u.rule || !presentWhenAdded(rs, m.rule, u.rule)) continue;
      const kind = (t: TimerUse) => (t.alarm ? 'an alarm timer (--alarm)' : 'a plain timer (no --alarm)');
      ctx.report({
        span: spanInRule(u.rule, u.labelOption.item.span, u.word.span),
        message: `The idle timer ${u.label} is made by an earlier IDLETIMER as ${kind(m)}: the kernel refuses this rule (Invalid argument), which asks for ${kind(u)}. Rules with one label restart one timer: give them the same --alarm, or this rule another label.`,
        related: [{ span: m.rule.span, message: `makes the idle timer ${u.label}` }],
        fixes: [alarmFix(u, m, ctx)],
      });
    }
  },
};

import type { Command, MatchUse, TargetUse } from './types.ts';

/**
 * iptables refuses a command with an option it does not take, or a parameter given twice,
 * before looking at the tables; and one with an option of a match or target the command does
 * not load (`--dport 22` without `-p tcp`, `--log-level` before `-j LOG`), a `!` the option
 * does not take, or a match or target without an option it needs (`-j SNAT` without
 * `--to-source`), unless a shell expansion in it may stand for what is missing.
 */
export function refusedCommand(cmd: Command): boolean {
  return (
    cmd.problems.some(
      (p) => p.kind === 'not-with-command' || p.kind === 'repeated-parameter' || ((p.kind === 'needs-match' || p.kind === 'needs-target' || p.kind === 'negation-not-allowed') && !expansionBefore(cmd, p.option.nameSpan.start)),
    ) || lacksNeededOption(cmd)
  );
}

/**
 * A shell expansion the shell may split into options, written before offset `at` in a command
 * (`P="-p tcp"; iptables -A INPUT $P --dport 22`): unquoted, and a word no option takes as its
 * own first value (`-s $NET` is an address). It may stand for the `-p tcp`, `-m …` or `-j …` an
 * option after it needs; the model does not split a variable's value into words.
 */
export function expansionBefore(cmd: Command, at: number): boolean {
  const args = cmd.args;
  for (const w of args.strays) if (w.dynamic && !w.quoted && w.span.start < at) return true;
  for (const item of args.items) {
    for (let i = 1; i < item.values.length; i++) {
      const w = item.values[i];
      if (w.dynamic && !w.quoted && w.span.start < at) return true;
    }
  }
  return false;
}

/**
 * A match or target of the rule without any option of a group it needs one of (`-j DNAT`
 * without `--to-destination`, `-m conntrack` alone: see ExtensionSpec.needsOneOf): iptables
 * refuses the rule. Not where a shell expansion among the options may stand for the option.
 */
function lacksNeededOption(cmd: Command): boolean {
  const rule = cmd.rule;
  if (!rule) return false;
  const lacks = (use: MatchUse | TargetUse) => !!use.spec?.needsOneOf?.some((group) => !use.options.some((o) => group.includes(o.name)));
  // every script command is asked: no list is made of its matches and target
  return (rule.matches.some(lacks) || (!!rule.target?.spec && lacks(rule.target))) && !expansionBefore(cmd, cmd.span.end);
}

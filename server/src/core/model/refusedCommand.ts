import { checkValue } from '../knowledge/values/index.ts';
import { placeProblems } from './placeProblems.ts';
import { expansionBefore } from './expansionBefore.ts';
import { protocolNeeds } from './protocolNeeds.ts';
import type { ArgSpec, Family } from '../knowledge/types.ts';
import type { Command, MatchUse, TargetUse } from './types.ts';

/**
 * iptables refuses a command with an option it does not take, or a parameter given twice,
 * before looking at the tables; and one with an option of a match or target the command does
 * not load (`--dport 22` without `-p tcp`, `--log-level` before `-j LOG`), a `!` the option
 * does not take, or a match or target without an option it needs (`-j SNAT` without
 * `--to-source`), or a `-p` it needs (`-m multiport`, `--reject-with tcp-reset`, a DNAT port: see
 * protocolNeeds), unless a shell expansion in it may stand for what is missing. And one with a
 * value iptables refuses (`-s 10.0.0.0/33`, `--ctstate ESTABLISED`, `-P INPUT DORP`), or a
 * target, match or option where it does not work (`-j MASQUERADE` in filter, `-o` in INPUT).
 */
export function refusedCommand(cmd: Command, verdicts: ValueVerdicts = new ValueVerdicts()): boolean {
  return (
    cmd.problems.some(
      (p) => p.kind === 'not-with-command' || p.kind === 'repeated-parameter' || ((p.kind === 'needs-match' || p.kind === 'needs-target' || p.kind === 'negation-not-allowed') && !expansionBefore(cmd, p.option.nameSpan.start)),
    ) ||
    lacksNeededOption(cmd) ||
    protocolNeeds(cmd).some((n) => !(n.kind === 'match' && n.excluded)) ||
    refusedValue(cmd, verdicts) ||
    misplaced(cmd)
  );
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

/**
 * A value of the command that iptables refuses, as invalid-value judges it with its warnings
 * left out (`-s 10.0.0.0/33`, `--dport 70000`, `-s ::1` in iptables): the rule is never added, so
 * an SSH accept so written does not keep the host reachable. A policy other than ACCEPT or DROP,
 * or DROP in the nat table. A value holding a shell expansion is never judged.
 */
function refusedValue(cmd: Command, verdicts: ValueVerdicts): boolean {
  if (cmd.kind === 'policy') {
    const p = cmd.policy;
    return !!p && !p.dynamic && (!(p.value === 'ACCEPT' || p.value === 'DROP') || (p.value === 'DROP' && cmd.table === 'nat' && !cmd.tableDynamic));
  }
  const rule = cmd.rule;
  if (!rule) return false;
  const proto = rule.protocol;
  // port names are looked up for the rule's protocol (`ntp` exists for udp only)
  const protocol = proto && !proto.negated && !proto.word.dynamic ? proto.value : undefined;
  for (const o of rule.options) {
    const args = o.spec?.args;
    if (!args) continue;
    const kept = o.keptValue;
    if (kept !== undefined) {
      if (args[0] && verdicts.refused(args[0], kept, cmd.family, protocol)) return true;
      continue;
    }
    const values = o.values;
    for (let i = 0; i < values.length && i < args.length; i++) {
      const w = values[i];
      if (!w.dynamic && verdicts.refused(args[i], w.value, cmd.family, protocol)) return true;
    }
  }
  return false;
}

/**
 * The verdicts on the values of one script's commands, by argument: a script says `eth0`,
 * `tcp` and `NEW` again and again, and checking each every time took half of the time spent on
 * values (12 of 25 ms on the 10k-command router script). One per model: its keys are cut from
 * the document's text, and a string cut from a text keeps all of it alive.
 */
export class ValueVerdicts {
  private readonly byArg = new Map<ArgSpec, Map<string, boolean>>();

  refused(arg: ArgSpec, value: string, family: Family, protocol: string | undefined): boolean {
    // a port list's names are looked up for the rule's protocol; an address is read per family
    const key = arg.type === 'port-list' ? `${family}\0${protocol ?? ''}\0${value}` : family === 'ipv6' ? `6${value}` : value;
    let known = this.byArg.get(arg);
    const seen = known?.get(key);
    if (seen !== undefined) return seen;
    const verdict = checkValue(arg.type, value, { family, arg, protocol }) !== undefined;
    if (!known) this.byArg.set(arg, (known = new Map()));
    known.set(key, verdict);
    return verdict;
  }
}

/**
 * A target, match or option in a table, or a built-in chain, it does not work in (see
 * placeProblems): iptables or the kernel refuses the rule. In a user chain the kernel refuses
 * the jump that reaches it from the wrong hook instead, which is not looked at here.
 */
function misplaced(cmd: Command): boolean {
  let refused = false;
  placeProblems(cmd, undefined, (d) => {
    if (!d.severity) refused = true;
  });
  return refused;
}

import type { Command, RuleSet } from './types.ts';

const cache = new WeakMap<RuleSet, readonly Command[]>();

/**
 * A rule set's commands as the script runs them: those as written, each command of a function
 * bound at its calls or of a loop bound per word (RuleSet.templates) replaced by its instances
 * (RuleSet.instances), which hold the values and the tool (`$ipt` of `for ipt in iptables
 * ip6tables`: one instance per family) the written command reads as unknown. In the order
 * written, a template's instances in the order they run. For checks over the whole script
 * (which tables it flushes, which families it writes); a file without instances: its commands.
 */
export function commandsAsRun(rs: RuleSet): readonly Command[] {
  const instances = rs.instances;
  if (!instances?.length || !rs.templates) return rs.commands;
  let out = cache.get(rs);
  if (out) return out;
  const of = new Map<Command, Command[]>();
  for (const cmd of instances) {
    if (!cmd.instanceOf) continue;
    const list = of.get(cmd.instanceOf);
    if (list) list.push(cmd);
    else of.set(cmd.instanceOf, [cmd]);
  }
  const templates = rs.templates;
  out = rs.commands.flatMap((c) => (templates.has(c) ? (of.get(c) ?? []) : [c]));
  cache.set(rs, out);
  return out;
}

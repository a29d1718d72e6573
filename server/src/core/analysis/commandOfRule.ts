import type { Command, Rule, RuleSet } from '../model/types.ts';

const byRule = new WeakMap<RuleSet, Map<Rule, Command>>();

/**
 * The command that added a rule, for a quick fix that writes beside it: the first command
 * holding it, as a search of the commands in order finds it. One map per rule set, made when
 * a fix first asks: a rule set's findings each asked by scanning all of its commands.
 */
export function commandOfRule(rs: RuleSet, rule: Rule): Command | undefined {
  let m = byRule.get(rs);
  if (!m) {
    m = new Map();
    for (const c of rs.commands) if (c.rule && !m.has(c.rule)) m.set(c.rule, c);
    byRule.set(rs, m);
  }
  return m.get(rule);
}

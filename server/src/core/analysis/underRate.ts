import type { Chain, MatchUse, Rule, RuleSet, Table } from '../model/types.ts';
import { chainFacts } from './chainGraph.ts';
import { matchesExcess } from './hashlimitExcess.ts';

/**
 * The match that makes the rule take packets only under a rate (`-m limit`, `-m hashlimit`
 * with `--hashlimit-upto`): packets over it do not match and go on to the next rule.
 * `--hashlimit-above` or `! --hashlimit-upto` (the excess itself) and `--hashlimit-rate-match` are other things.
 */
export function underRate(rule: Rule): MatchUse | undefined {
  return rule.matches.find((m) => m.name === 'limit' || (m.name === 'hashlimit' && !matchesExcess(m) && !m.options.some((o) => o.name === '--hashlimit-rate-match')));
}

/** A rule of filter that accepts, drops or rejects packets under a rate (see underRate). */
export interface RateLimitedRule {
  table: Table;
  chain: Chain;
  rule: Rule;
  limit: MatchUse;
  verdict: 'ACCEPT' | 'DROP' | 'REJECT';
  /** The built-in chains its packets come from: its own, or those reaching its user chain (where the excess returns). */
  hooks: readonly string[];
}

/** The rate-limited rules of the filter tables that some hook reaches, without shell expansions. */
export function rateLimitedRules(rs: RuleSet): RateLimitedRule[] {
  const out: RateLimitedRule[] = [];
  for (const table of rs.tables.values()) {
    if (table.name !== 'filter') continue;
    const graph = chainFacts(rs).graph(table);
    for (const chain of table.chains.values()) {
      const hooks = chain.builtin ? [chain.name] : graph.hooksReaching(chain.name);
      if (!hooks.length) continue;
      // by index: no iterator result per rule of a long chain, on every keystroke
      for (let i = 0; i < chain.rules.length; i++) {
        const rule = chain.rules[i];
        const verdict = rule.target?.spec ? rule.target.name : undefined;
        if ((verdict !== 'ACCEPT' && verdict !== 'DROP' && verdict !== 'REJECT') || rule.dynamic) continue;
        const limit = underRate(rule);
        if (limit) out.push({ table, chain, rule, limit, verdict, hooks });
      }
    }
  }
  return out;
}

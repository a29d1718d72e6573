import type { Rule, RuleSet } from '../model/types.ts';
import { dominates } from './dominates.ts';

/**
 * Whether rule `a`, added before rule `b`, is certainly in the kernel when `b` is added: a
 * script adds it whenever it adds `b` (see dominates), and nothing takes it away before the
 * end (it is among its chain's final rules). What the kernel keeps by name for `a` (a
 * hashlimit table, a rate estimator) then exists when `b` names it.
 */
export function presentWhenAdded(rs: RuleSet, a: Rule, b: Rule): boolean {
  if (!dominates(rs, a, b)) return false;
  const chain = rs.tables.get(`${a.family}:${a.table}`)?.chains.get(a.chain);
  return chain !== undefined && chain.rules.includes(a);
}

import type { Rule, RuleSet } from '../model/types.ts';

/**
 * Rule `a` is there whenever rule `b` is: a script adds `a` with no shell condition, or under
 * the condition `b` is added under, or one around it (see Rule.guard). Only then can `a`,
 * being earlier, be what decides `b`'s packets.
 */
export function dominates(rs: RuleSet, a: Rule, b: Rule): boolean {
  if (a.guard === 0 || a.guard === b.guard) return true;
  const guards = rs.guards;
  if (!guards) return false;
  for (let g = b.guard; g !== 0; g = guards[g] ?? 0) if (g === a.guard) return true;
  return false;
}

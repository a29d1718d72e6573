import { within } from '../model/guards.ts';
import type { Rule, RuleSet } from '../model/types.ts';

/**
 * Rule `a` is there whenever rule `b` is: a script adds `a` with no shell condition, or under
 * the condition `b` is added under, or one around it (see Rule.guard). Only then can `a`,
 * being earlier, be what decides `b`'s packets.
 */
export function dominates(rs: RuleSet, a: Rule, b: Rule): boolean {
  return within(rs.guards, a.guard, b.guard);
}

import type { Rule, RuleSet } from '../model/types.ts';
import { cutLines, ownLines } from './moveBefore.ts';
import type { Fix, RuleContext } from './types.ts';

const numbered = new WeakMap<RuleSet, Set<string>>();

/**
 * The chains (`family:table:chain`) some command names a place in by number: found once per
 * rule set, not once per finding (a dump may have thousands of redundant rules).
 */
function numberedChains(rs: RuleSet): Set<string> {
  let set = numbered.get(rs);
  if (!set) {
    set = new Set();
    for (const c of rs.commands) if (c.position !== undefined) set.add(`${c.family}:${c.table}:${c.chain}`);
    numbered.set(rs, set);
  }
  return set;
}

/**
 * The quick fix for a rule that changes nothing (see redundant-rule): remove its lines. Not
 * offered when a command names a place in its chain by number (`-I CHAIN 3`, `-D CHAIN 2`,
 * `-R`): without the rule those numbers would mean other rules. Not safe (`--fix` leaves it to
 * a person): the proof is only as good as the analysis, and a rule kept on purpose (a later
 * edit of the broader one) is a choice.
 */
export function removeRuleFix(ctx: RuleContext, rule: Rule): Fix[] {
  if (numberedChains(ctx.ruleSet).has(`${rule.family}:${rule.table}:${rule.chain}`)) return [];
  const own = ownLines(ctx, rule);
  if (!own) return [];
  return [{ title: 'Remove this rule', edits: [{ span: cutLines(ctx, own.from, own.to).cut, text: '' }] }];
}

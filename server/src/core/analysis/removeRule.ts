import type { Rule } from '../model/types.ts';
import { cutLines, ownLines } from './moveBefore.ts';
import type { Fix, RuleContext } from './types.ts';

/**
 * The quick fix for a rule that changes nothing (see redundant-rule): remove its lines. Not
 * offered when a command names a place in its chain by number (`-I CHAIN 3`, `-D CHAIN 2`,
 * `-R`): without the rule those numbers would mean other rules. Not safe (`--fix` leaves it to
 * a person): the proof is only as good as the analysis, and a rule kept on purpose (a later
 * edit of the broader one) is a choice.
 */
export function removeRuleFix(ctx: RuleContext, rule: Rule): Fix[] {
  const rs = ctx.ruleSet;
  for (const c of rs.commands) {
    if (c.position !== undefined && c.chain === rule.chain && c.table === rule.table && c.family === rule.family) return [];
  }
  const own = ownLines(ctx, rule);
  if (!own) return [];
  return [{ title: 'Remove this rule', edits: [{ span: cutLines(ctx, own.from, own.to).cut, text: '' }] }];
}

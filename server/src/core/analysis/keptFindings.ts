import type { ChainFacts } from './chainGraph.ts';
import type { RuleContext } from './types.ts';

type Report = Parameters<RuleContext['report']>[0];

/**
 * Findings of a whole-set rule that depend only on what an in-place rule edit never changes
 * (tables, chain declarations and policies, jumps: see carryChainFacts), kept with the chain
 * facts and reported again while those facts are carried from edit to edit. Their spans are
 * the model's own, which move with the text. A 36k-chain dump is then not walked again on
 * every keystroke.
 */
const kept = new WeakMap<ChainFacts, Map<string, Report[]>>();

export function reportKept(ctx: RuleContext, facts: ChainFacts, code: string, find: (report: (d: Report) => void) => void): void {
  let byCode = kept.get(facts);
  if (!byCode) kept.set(facts, (byCode = new Map()));
  let found = byCode.get(code);
  if (!found) {
    const list: Report[] = [];
    find((d) => list.push(d));
    byCode.set(code, (found = list));
  }
  for (const d of found) ctx.report(d);
}

import type { ChainFacts } from './chainGraph.ts';
import { keptWithFacts } from './keptWithFacts.ts';
import type { RuleContext } from './types.ts';

type Report = Parameters<RuleContext['report']>[0];

/**
 * Findings of a whole-set rule that depend only on what an in-place rule edit never changes
 * (tables, chain declarations and policies, jumps: see carryChainFacts), kept with the chain
 * facts and reported again while those facts are carried from edit to edit: no replaced rule
 * changes them. Their spans are the model's own, which move with the text. A 36k-chain dump
 * is then not walked again on every keystroke.
 */
export function reportKept(ctx: RuleContext, facts: ChainFacts, code: string, find: (report: (d: Report) => void) => void): void {
  const found = keptWithFacts(
    facts,
    `findings:${code}`,
    () => {
      const list: Report[] = [];
      find((d) => list.push(d));
      return list;
    },
    () => true,
  );
  for (const d of found) ctx.report(d);
}

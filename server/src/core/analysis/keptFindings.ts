import { changesJumps, type ChainFacts } from './chainGraph.ts';
import { keptWithFacts } from './keptWithFacts.ts';
import { inPlace } from '../model/patchRuleSet.ts';
import type { Fix, RuleContext } from './types.ts';

type Report = Parameters<RuleContext['report']>[0];

/**
 * A kept finding's quick fixes, worked out from the rule set and text at hand each time the
 * finding is reported: a fix's offsets are numbers, which do not move with the text as the
 * model's spans do.
 */
export type KeptFixes = (ctx: RuleContext) => Fix[];

/**
 * Findings of a whole-set rule that depend only on what an edit of a rule in place that keeps
 * its jumps never changes (tables, chain declarations and policies, jumps, the length of each
 * chain: see carryChainFacts), kept with the chain facts and reported again while those facts
 * are carried from edit to edit; found again after an edit that made rules come or go, or
 * changed a jump. Their spans are the model's own, which move with the text. A 36k-chain dump
 * is then not walked again on every keystroke.
 */
export function reportKept(ctx: RuleContext, facts: ChainFacts, code: string, find: (report: (d: Report, fixes?: KeptFixes) => void) => void): void {
  const found = keptWithFacts(
    facts,
    `findings:${code}`,
    () => {
      const list: { d: Report; fixes?: KeptFixes }[] = [];
      find((d, fixes) => list.push({ d, fixes }));
      return list;
    },
    // a rule that came or went changes its chain's length, which a finding may tell
    // (unused-chain); a jump that came or went, the chains nothing jumps to
    (_, patches) => patches.every((p) => (inPlace(p) || !p.chain) && !changesJumps(p)),
  );
  for (const { d, fixes } of found) {
    const made = fixes?.(ctx);
    ctx.report(made?.length ? { ...d, fixes: made } : d);
  }
}

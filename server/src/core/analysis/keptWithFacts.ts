import type { RulePatch } from '../model/patchRuleSet.ts';
import type { ChainFacts } from './chainGraph.ts';
import type { Steps } from '../services/steps.ts';

interface Kept {
  value: unknown;
  /** How many of the facts' replaced rules the value has taken in. */
  carried: number;
}

const kept = new WeakMap<ChainFacts, Map<string, Kept>>();

/**
 * A value a whole-set rule derives from a rule set, kept under `name` with its chain facts,
 * which edits that replace rules in place carry from one rule set to the next (see
 * carryChainFacts). On each call the value takes in the rules replaced since: `update` brings
 * it up to date with them and returns true, or returns false to have it made again. A rule
 * that looks at a few of a dump's 100k rules (27k DNATs, the hook-bound targets) then looks
 * at the edited ones after each keystroke, not at all of them.
 */
export function keptWithFacts<T>(facts: ChainFacts, name: string, make: () => T, update: (value: T, patches: readonly RulePatch[]) => boolean): T {
  let byName = kept.get(facts);
  if (!byName) kept.set(facts, (byName = new Map()));
  let k = byName.get(name);
  if (k && k.carried < facts.carried.length) {
    if (update(k.value as T, facts.carried.slice(k.carried))) k.carried = facts.carried.length;
    else k = undefined;
  }
  if (!k) byName.set(name, (k = { value: make(), carried: facts.carried.length }));
  return k.value as T;
}

/**
 * keptWithFacts' value made in steps (`make` yields between them) where none is kept under
 * `name` yet, for a rule's prepare: its check then finds it kept. Nothing is kept when the
 * facts were carried to another rule set meanwhile (an edit between the steps).
 */
export function* prepareKept<T>(facts: ChainFacts, name: string, make: () => Steps<T>): Steps<void> {
  if (kept.get(facts)?.has(name)) return;
  const carried = facts.carried.length;
  const value = yield* make();
  if (facts.carried.length !== carried) return;
  let byName = kept.get(facts);
  if (!byName) kept.set(facts, (byName = new Map()));
  if (!byName.has(name)) byName.set(name, { value, carried });
}

import type { Command, Rule } from '../model/types.ts';
import type { ChainFacts } from './chainGraph.ts';
import { keptWithFacts, prepareKept } from './keptWithFacts.ts';
import { drain, STEP_ITEMS, type Steps } from '../services/steps.ts';

/** DNAT rules by a rule's key, each with its command. */
export type DnatGroups = Map<string, Map<Rule, Command>>;

function add(groups: DnatGroups, cmd: Command, keyOf: (cmd: Command) => string | undefined): void {
  const rule = cmd.rule;
  if (!rule || rule.target?.name !== 'DNAT' || cmd.table !== 'nat' || cmd.kind === 'delete' || cmd.kind === 'check') return;
  const key = keyOf(cmd);
  if (key === undefined) return;
  let g = groups.get(key);
  if (!g) groups.set(key, (g = new Map()));
  g.set(rule, cmd);
}

/**
 * The chain facts' DNAT commands (not deletes or checks) that `keyOf` keeps (it returns
 * undefined for the others), grouped by its key, kept with the facts under `name` and brought
 * up to date with the rules replaced since (see keptWithFacts) instead of read again: a
 * kube-proxy dump has 27k DNATs, and looking at each of them after every keystroke cost 2-6 ms
 * a rule. `keyOf` must depend on the command alone.
 */
export function dnatGroups(facts: ChainFacts, name: string, keyOf: (cmd: Command) => string | undefined): DnatGroups {
  return keptWithFacts(
    facts,
    `dnatGroups:${name}`,
    () => drain(grouped(facts, keyOf, Infinity)),
    (groups, patches) => {
      for (const p of patches) {
        const old = p.old?.rule;
        if (old) for (const g of groups.values()) g.delete(old);
        if (p.new) add(groups, p.new, keyOf);
      }
      for (const [key, g] of groups) if (!g.size) groups.delete(key);
      return true;
    },
  );
}

/** dnatGroups made in steps, `perStep` DNATs at a time, and kept (see prepareKept): for a rule's prepare. */
export function dnatGroupsSteps(facts: ChainFacts, name: string, keyOf: (cmd: Command) => string | undefined, perStep = STEP_ITEMS): Steps<void> {
  return prepareKept(facts, `dnatGroups:${name}`, () => grouped(facts, keyOf, perStep));
}

function* grouped(facts: ChainFacts, keyOf: (cmd: Command) => string | undefined, perStep: number): Steps<DnatGroups> {
  const groups: DnatGroups = new Map();
  const dnats = facts.dnats;
  for (let i = 0; i < dnats.length; i++) {
    if (i && i % perStep === 0) yield;
    add(groups, dnats[i], keyOf);
  }
  return groups;
}

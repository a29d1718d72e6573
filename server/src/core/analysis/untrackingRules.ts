import type { Rule, Table } from '../model/types.ts';
import { untracks } from '../simulate/evaluate.ts';
import { chainsReached } from './chainsReached.ts';

/**
 * The NOTRACK and `CT --notrack` rules of raw `hook` and of the user chains it reaches (a
 * chain of exemptions jumped to from PREROUTING is a common way to write them), in the order
 * the chains are reached; rules with shell expansions left out.
 */
export function untrackingRules(raw: Table, hook: 'PREROUTING' | 'OUTPUT'): Rule[] {
  const start = raw.chains.get(hook);
  if (!start) return [];
  const out: Rule[] = [];
  for (const chain of chainsReached(raw, start)) for (const r of chain.rules) if (untracks(r) && !r.dynamic) out.push(r);
  return out;
}

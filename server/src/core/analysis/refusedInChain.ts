import { policyPlace } from '../model/policyPlace.ts';
import type { Chain, Rule, RuleSet } from '../model/types.ts';
import { decidingRule, type Outcome, refusedEveryWay } from '../simulate/evaluate.ts';
import type { Packet } from '../simulate/packet.ts';
import type { Span } from '../text/span.ts';

/** Packets a filter chain certainly refuses, and where the first of them is refused. */
export interface Refused<T> {
  /** The items whose packet every way through the chain drops or rejects, in their order. */
  lost: T[];
  /** DROP or REJECT, for the first of them. */
  verdict: string;
  /** The rule that refuses the first, or undefined when the chain's policy does. */
  rule?: Rule;
  /** Where to report: that rule, or the chain's policy. */
  span: Span;
}

/**
 * Follows the packet of each item through filter `chain` (a built-in chain) and gathers those
 * every way through drops or rejects; undefined when none is, or when there is nowhere to
 * point. Shared by the checks that a chain lets some kind of traffic through (neighbour
 * discovery, the loopback interface).
 */
export function refusedInChain<T>(rs: RuleSet, chain: Chain, items: readonly T[], packetOf: (item: T) => Packet): Refused<T> | undefined {
  let first: Outcome | undefined;
  const lost: T[] = [];
  for (const item of items) {
    const o = refusedEveryWay(rs, 'filter', chain.name, packetOf(item));
    if (!o) continue;
    first ??= o;
    lost.push(item);
  }
  if (!first) return undefined;
  const rule = decidingRule(first);
  const span = rule?.span ?? policyPlace(chain);
  return span && { lost, verdict: first.verdict, rule, span };
}

import type { Family } from '../knowledge/types.ts';
import { isBuiltinChain } from '../model/builtinChains.ts';
import type { Span } from '../text/span.ts';
import type { ChainIndex, ChainRef } from './chainIndex.ts';

/**
 * Chains as a call graph: a rule's `-j CHAIN` or `-g CHAIN` is a call, so an editor's call
 * hierarchy walks from a built-in chain down the chains it reaches (outgoing) or from a user
 * chain up to the built-in chains that lead to it (incoming).
 */
export interface ChainNode {
  family: Family;
  table: string;
  name: string;
  builtin: boolean;
  /** The name where the chain is declared, or else where it is first written. */
  span: Span;
  /** The line or command holding `span`. */
  line: Span;
}

/** A chain and the jump or goto words that connect it to the chain asked about. */
export interface ChainCalls {
  chain: ChainNode;
  /** The target words of the jumps, in order: all in the calling chain's rules. */
  spans: Span[];
}

/** The chain named under the cursor. */
export function chainNodeAt(index: ChainIndex, offset: number): ChainNode | undefined {
  const ref = index.at(offset);
  return ref && chainNode(index, ref.family, ref.table, ref.name);
}

/** The chain of that name in the table, if it is written anywhere. */
export function chainNode(index: ChainIndex, family: Family, table: string, name: string): ChainNode | undefined {
  const place = index.declarationsOf(family, table, name)[0] ?? index.of(family, table, name)[0];
  return place && { family, table, name, builtin: isBuiltinChain(table, name), span: place.span, line: place.line };
}

/** The chains whose rules jump or go to the chain, each once, in the order of their first jump. */
export function callersOf(index: ChainIndex, chain: ChainNode): ChainCalls[] {
  return grouped(index, chain, index.jumpsTo(chain.family, chain.table, chain.name, true), (r) => r.from);
}

/** The chains the chain's rules jump or go to, each once, in the order of their first jump. */
export function calleesOf(index: ChainIndex, chain: ChainNode): ChainCalls[] {
  return grouped(index, chain, index.ruleJumpsFrom(chain.family, chain.table, chain.name), (r) => r.name);
}

function grouped(index: ChainIndex, chain: ChainNode, jumps: ChainRef[], other: (r: ChainRef) => string | undefined): ChainCalls[] {
  const byName = new Map<string, ChainCalls>();
  for (const r of jumps) {
    const name = other(r);
    if (name === undefined) continue;
    let calls = byName.get(name);
    if (!calls) {
      const node = chainNode(index, chain.family, chain.table, name);
      if (!node) continue;
      byName.set(name, (calls = { chain: node, spans: [] }));
    }
    calls.spans.push(r.span);
  }
  return [...byName.values()];
}

import { chainFacts, jumpedTo, jumpsEdited, type ChainGraph } from '../chainGraph.ts';
import type { Chain, Table } from '../../model/types.ts';
import type { LintRule } from '../types.ts';

export const chainLoop: LintRule = {
  code: 'chain-loop',
  severity: 'error',
  summary: 'Jumps between user chains that form a cycle.',
  docs: {
    description: 'Reports a `-j` or `-g` that closes a cycle of chains jumping to each other (a chain jumping to itself included).',
    rationale: 'The kernel refuses a rule set with a jump loop ("Too many links"); a restore fails as a whole.',
    bad: { dialect: 'save', text: '*filter\n:a - [0:0]\n:b - [0:0]\n-A a -j b\n-A b -j a\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:a - [0:0]\n:b - [0:0]\n-A a -j b\n-A b -j RETURN\nCOMMIT\n' },
  },
  check(ctx) {
    const facts = chainFacts(ctx.ruleSet);
    for (const t of ctx.ruleSet.tables.values()) {
      const graph = facts.graph(t);
      for (const { from, index, cycle } of loopsOf(t, graph)) {
        ctx.report({ span: graph.jumps.get(from)![index].span, message: `This jump closes a loop: ${cycle.join(' → ')}. The kernel refuses the rule set.` });
      }
    }
  },
};

/**
 * The jump closing a loop, by its place in the graph: an edit of the jumping rule replaces
 * its target there (see carryChainFacts), and the finding is at the new rule's target.
 */
interface Loop {
  from: Chain;
  index: number;
  cycle: string[];
}

/**
 * The loops of a graph, searched once per graph: an edit keeps the graph (see
 * carryChainFacts), and a 36k-chain dump is not searched again. An edit that put jumps in or
 * took them out (jumpsEdited) leaves a graph without loops without them, since the carry takes
 * no jump that closes one; where there were loops, their jumps' places may have moved.
 */
const found = new WeakMap<ChainGraph, { loops: Loop[]; edits: number }>();

function loopsOf(t: Table, graph: ChainGraph): Loop[] {
  const hit = found.get(graph);
  const edits = jumpsEdited(graph);
  if (hit && (hit.edits === edits || !hit.loops.length)) {
    hit.edits = edits;
    return hit.loops;
  }
  const loops: Loop[] = [];
  const { jumps } = graph;
  // depth-first search with three colours: a jump to a chain still on the stack closes a cycle
  const state = new Map<Chain, 'active' | 'done'>();
  const stack: Chain[] = [];
  const visit = (chain: Chain) => {
    if (state.get(chain) === 'done') return;
    state.set(chain, 'active');
    stack.push(chain);
    const list = jumps.get(chain) ?? [];
    for (let index = 0; index < list.length; index++) {
      const to = jumpedTo(t, list[index]);
      if (state.get(to) === 'active') {
        // the path from the chain jumped to down to this one, then the jump closing it
        const callers = stack.slice(0, -1);
        const at = callers.indexOf(to);
        loops.push({ from: chain, index, cycle: [...(at === -1 ? [] : callers.slice(at)), chain, to].map((c) => c.name) });
      } else visit(to);
    }
    stack.pop();
    state.set(chain, 'done');
  };
  for (const c of t.chains.values()) if (!c.builtin) visit(c);
  found.set(graph, { loops, edits });
  return loops;
}

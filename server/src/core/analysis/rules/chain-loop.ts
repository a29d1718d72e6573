import { chainFacts, jumpedTo, jumpsEdited, type ChainGraph } from '../chainGraph.ts';
import type { Chain, RuleSet, Table } from '../../model/types.ts';
import { drain, STEP_ITEMS, type Steps } from '../../services/steps.ts';
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
  prepare: (rs) => prepareLoops(rs),
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
  const loops = drain(searchLoops(t, graph, Infinity));
  found.set(graph, { loops, edits });
  return loops;
}

/**
 * The loops of every table's graph searched in steps, `perStep` jumps at a time, and kept
 * (see found): the 100k dump's 36k chains took 50–95 ms in one piece. A graph whose jumps an
 * edit changed meanwhile is left to the check.
 */
function* prepareLoops(rs: RuleSet, perStep = STEP_ITEMS): Steps<void> {
  const facts = chainFacts(rs);
  for (const t of rs.tables.values()) {
    const graph = facts.graph(t);
    if (found.has(graph)) continue;
    const edits = jumpsEdited(graph);
    const loops = yield* searchLoops(t, graph, perStep);
    if (jumpsEdited(graph) === edits && !found.has(graph)) found.set(graph, { loops, edits });
  }
}

/**
 * Depth-first search with three colours: a jump to a chain still on the path closes a cycle.
 * The path is a list of chains with the place of the next jump of each, not the call stack,
 * so that the search can stop between two jumps.
 */
function* searchLoops(t: Table, graph: ChainGraph, perStep: number): Steps<Loop[]> {
  const loops: Loop[] = [];
  const { jumps } = graph;
  const state = new Map<Chain, 'active' | 'done'>();
  const path: Chain[] = [];
  const next: number[] = [];
  let n = 0;
  const enter = (chain: Chain) => {
    state.set(chain, 'active');
    path.push(chain);
    next.push(0);
  };
  for (const root of t.chains.values()) {
    if (root.builtin || state.get(root) === 'done') continue;
    enter(root);
    while (path.length) {
      if (++n % perStep === 0) yield;
      const chain = path[path.length - 1];
      const list = jumps.get(chain);
      const index = next[next.length - 1];
      if (!list || index >= list.length) {
        path.pop();
        next.pop();
        state.set(chain, 'done');
        continue;
      }
      next[next.length - 1] = index + 1;
      const to = jumpedTo(t, list[index]);
      const s = state.get(to);
      if (s === 'active') {
        // the path from the chain jumped to down to this one, then the jump closing it
        const callers = path.slice(0, -1);
        const at = callers.indexOf(to);
        loops.push({ from: chain, index, cycle: [...(at === -1 ? [] : callers.slice(at)), chain, to].map((c) => c.name) });
      } else if (s !== 'done') enter(to);
    }
  }
  return loops;
}

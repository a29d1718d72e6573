import type { LspRange, RuleLocation, TraceResult } from '../../../server/src/lsp/traceProtocol.ts';
import type { TraceBranch, TraceStep } from '../../../server/src/core/simulate/traceReport.ts';

/**
 * What the trace view draws, as plain data: for each branch of the trace, the netfilter
 * hooks laid out on a grid (PREROUTING → routing decision → INPUT / FORWARD → POSTROUTING,
 * or routing → OUTPUT → POSTROUTING for the host's own packets), the arrows between them,
 * which were taken, and the steps in each hook. The HTML is drawn from this and nothing
 * else, so this is what the tests check. No vscode import: it runs in plain Node.
 */

export type Traced = Extract<TraceResult, { branches: unknown }>;
type Step = TraceStep<RuleLocation>;
type Branch = TraceBranch<RuleLocation>;

export type HookId = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';
export type NodeId = HookId | 'ROUTING' | 'LOCAL_IN' | 'LOCAL_OUT' | 'WIRE_IN' | 'WIRE_OUT';

/** passed: the packet went through; decided: the verdict fell here; skipped: the other way at a fork; unreached: the packet never got here. */
export type NodeState = 'passed' | 'decided' | 'skipped' | 'unreached';

export interface DiagramStep {
  /** `table/CHAIN`. */
  label: string;
  /** The rule as written, `policy DROP`, or why nothing decided. */
  detail: string;
  kind: Step['kind'];
  target?: string;
  /** 1-based line of the deciding rule. */
  line?: number;
  range?: LspRange;
  /** A rule of another file the trace read (ufw's user.rules beside the before.rules traced): its name and line. */
  where?: string;
  /** The NAT change, e.g. `destination → 192.168.1.100:8080`, or the packet made UNTRACKED. */
  rewrite?: string;
}

export interface DiagramNode {
  id: NodeId;
  title: string;
  /** Grid place: columns left to right, row 0 above the main line. */
  col: number;
  row: number;
  /** Hooks hold chains; the routing decision and the ends (wire, local process) do not. */
  kind: 'hook' | 'decision' | 'end';
  state: NodeState;
  steps: DiagramStep[];
  note?: string;
}

export interface DiagramEdge {
  from: NodeId;
  to: NodeId;
  taken: boolean;
}

export interface DiagramCondition {
  /** A rule of the document: its line and range; of another file: `where` (see DiagramStep); of ufw's own: neither. */
  line?: number;
  range?: LspRange;
  where?: string;
  matched: boolean;
  rule: string;
}

export interface DiagramBranch {
  verdict: string;
  /** Where the verdict fell (a hook), or where the packet ended up (local process, wire). */
  endsAt: NodeId;
  conditions: DiagramCondition[];
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  rewrites: string[];
}

/** A deciding rule to highlight in the editor. */
export interface Highlight {
  line: number;
  range: LspRange;
  /** Short text shown after the line, e.g. `nat/PREROUTING: DNAT → 192.168.1.100:8080`. */
  label: string;
  /** Which branches (1-based) it decides in. */
  branches: number[];
}

export interface PathModel {
  uri: string;
  packet: string;
  verdict: string;
  certain: boolean;
  origin: 'remote' | 'local';
  branches: DiagramBranch[];
  highlights: Highlight[];
}

const REMOTE_LAYOUT: { id: NodeId; title: string; col: number; row: number; kind: DiagramNode['kind'] }[] = [
  { id: 'WIRE_IN', title: 'arrives', col: 0, row: 1, kind: 'end' },
  { id: 'PREROUTING', title: 'PREROUTING', col: 1, row: 1, kind: 'hook' },
  { id: 'ROUTING', title: 'routing decision', col: 2, row: 1, kind: 'decision' },
  { id: 'INPUT', title: 'INPUT', col: 3, row: 0, kind: 'hook' },
  { id: 'LOCAL_IN', title: 'local process', col: 4, row: 0, kind: 'end' },
  { id: 'FORWARD', title: 'FORWARD', col: 3, row: 1, kind: 'hook' },
  { id: 'POSTROUTING', title: 'POSTROUTING', col: 4, row: 1, kind: 'hook' },
  { id: 'WIRE_OUT', title: 'leaves', col: 5, row: 1, kind: 'end' },
];
const REMOTE_EDGES: [NodeId, NodeId][] = [
  ['WIRE_IN', 'PREROUTING'],
  ['PREROUTING', 'ROUTING'],
  ['ROUTING', 'INPUT'],
  ['INPUT', 'LOCAL_IN'],
  ['ROUTING', 'FORWARD'],
  ['FORWARD', 'POSTROUTING'],
  ['POSTROUTING', 'WIRE_OUT'],
];
const LOCAL_LAYOUT: typeof REMOTE_LAYOUT = [
  { id: 'LOCAL_OUT', title: 'local process', col: 0, row: 1, kind: 'end' },
  { id: 'ROUTING', title: 'routing decision', col: 1, row: 1, kind: 'decision' },
  { id: 'OUTPUT', title: 'OUTPUT', col: 2, row: 1, kind: 'hook' },
  { id: 'POSTROUTING', title: 'POSTROUTING', col: 3, row: 1, kind: 'hook' },
  { id: 'WIRE_OUT', title: 'leaves', col: 4, row: 1, kind: 'end' },
];
const LOCAL_EDGES: [NodeId, NodeId][] = [
  ['LOCAL_OUT', 'ROUTING'],
  ['ROUTING', 'OUTPUT'],
  ['OUTPUT', 'POSTROUTING'],
  ['POSTROUTING', 'WIRE_OUT'],
];

const INPUT_SIDE: NodeId[] = ['INPUT', 'LOCAL_IN'];
const FORWARD_SIDE: NodeId[] = ['FORWARD', 'POSTROUTING', 'WIRE_OUT'];

function rewriteText(r: { destination?: string; source?: string } | undefined): string | undefined {
  if (!r) return undefined;
  if (r.destination) return `destination → ${r.destination}`;
  if (r.source) return `source → ${r.source}`;
  return undefined;
}

/** A rule in another file: its name (the last part of its path) and line. */
function elsewhere(l: RuleLocation): string | undefined {
  return l.file ? `${l.file.slice(l.file.lastIndexOf('/') + 1)}, line ${l.line}` : undefined;
}

function diagramStep(s: Step): DiagramStep {
  const detail = s.rule ?? (s.policy ? `policy ${s.policy}` : s.kind === 'none' ? 'no rule decides: back to the caller' : '');
  const out: DiagramStep = { label: `${s.table}/${s.chain}`, detail, kind: s.kind };
  if (s.target) out.target = s.target;
  if (s.line !== undefined && s.range) {
    out.line = s.line;
    out.range = s.range;
  }
  const where = elsewhere(s);
  if (where) out.where = where;
  const rewrite = s.kind === 'untrack' ? 'state → UNTRACKED (no nat from here on)' : rewriteText(s.rewrite);
  if (rewrite) out.rewrite = rewrite;
  return out;
}

function branchModel(b: Branch, origin: 'remote' | 'local'): DiagramBranch {
  const layout = origin === 'local' ? LOCAL_LAYOUT : REMOTE_LAYOUT;
  const edgeList = origin === 'local' ? LOCAL_EDGES : REMOTE_EDGES;
  const accepted = b.verdict === 'ACCEPT';
  const last = b.hooks.at(-1) as HookId | undefined;
  // the nodes the packet went through, in order
  const visited: NodeId[] = origin === 'local' ? ['LOCAL_OUT', 'ROUTING'] : ['WIRE_IN'];
  // dropped by the routing decision itself (a loopback destination from another host)
  const routingDrop = !accepted && !!b.routing && last === 'PREROUTING' && b.hooks.length === 1;
  for (const h of b.hooks as HookId[]) {
    visited.push(h);
    if (h === 'PREROUTING' && (b.hooks.length > 1 || accepted || routingDrop)) visited.push('ROUTING');
  }
  if (accepted && last === 'INPUT') visited.push('LOCAL_IN');
  else if (accepted && last === 'POSTROUTING') visited.push('WIRE_OUT');
  const endsAt = accepted ? (visited.at(-1) as NodeId) : routingDrop ? 'ROUTING' : (last ?? visited.at(-1)!);
  const routedTo = b.hooks.find((h) => h === 'INPUT' || h === 'FORWARD');
  const nodes = layout.map((n): DiagramNode => {
    let state: NodeState;
    if (!accepted && n.id === (routingDrop ? 'ROUTING' : last)) state = 'decided';
    else if (visited.includes(n.id)) state = 'passed';
    // the fork after routing: the way not taken
    else if ((routedTo === 'INPUT' ? FORWARD_SIDE : routedTo === 'FORWARD' ? INPUT_SIDE : []).includes(n.id)) state = 'skipped';
    else state = 'unreached';
    const steps = n.kind === 'hook' ? b.path.filter((s) => s.hook === n.id).map(diagramStep) : [];
    const node: DiagramNode = { ...n, state, steps };
    if (n.id === 'ROUTING' && routedTo) node.note = routedTo === 'INPUT' ? 'for this host: INPUT' : 'not for this host: FORWARD';
    if (n.id === 'ROUTING' && b.routing) node.note = b.routing;
    if (n.kind === 'hook' && visited.includes(n.id) && steps.length === 0) node.note = 'no rules here: passes';
    return node;
  });
  const onPath = new Set(visited.slice(0, visited.indexOf(endsAt) + 1));
  const edges = edgeList.map(([from, to]): DiagramEdge => ({ from, to, taken: onPath.has(from) && onPath.has(to) }));
  const rewrites = [rewriteText({ destination: b.rewrites.destination }), rewriteText({ source: b.rewrites.source })].filter((x): x is string => !!x);
  return {
    verdict: b.verdict,
    endsAt,
    conditions: b.conditions.map((c) => {
      const where = elsewhere(c);
      return { ...(c.range ? { line: c.line, range: c.range } : {}), ...(where ? { where } : {}), matched: c.matched, rule: c.rule };
    }),
    nodes,
    edges,
    rewrites,
  };
}

/** The diagram of a trace answered by the language server. */
export function pathModel(t: Traced): PathModel {
  const origin = /(^|\s)origin=local(\s|$)/.test(t.packet) ? 'local' : 'remote';
  const branches = t.branches.map((b) => branchModel(b, origin));
  const highlights = new Map<string, Highlight>();
  t.branches.forEach((b, i) => {
    for (const s of b.path) {
      if (s.line === undefined || !s.range) continue;
      const key = `${s.range.start.line}:${s.range.start.character}`;
      const h = highlights.get(key);
      if (h) {
        if (!h.branches.includes(i + 1)) h.branches.push(i + 1);
        continue;
      }
      const rewrite = rewriteText(s.rewrite);
      highlights.set(key, { line: s.line, range: s.range, label: `${s.table}/${s.chain}: ${s.target ?? ''}${rewrite ? ` (${rewrite})` : ''}`, branches: [i + 1] });
    }
  });
  return {
    uri: t.uri,
    packet: t.packet,
    verdict: t.verdict,
    certain: t.verdict !== 'UNCERTAIN',
    origin,
    branches,
    highlights: [...highlights.values()].sort((a, b) => a.line - b.line),
  };
}

/** What the command returns (for scripts and tests): the verdict and the first branch's steps. */
export function traceSummary(t: Traced): { verdict: string; branches: number; steps: { hook?: string; table: string; chain: string; line?: number; file?: string; target?: string; policy?: string }[] } {
  const first = t.branches[0];
  return {
    verdict: t.verdict,
    branches: t.branches.length,
    steps: (first?.path ?? []).map((s) => ({ hook: s.hook, table: s.table, chain: s.chain, line: s.line, ...(s.file ? { file: s.file } : {}), target: s.target, policy: s.policy })),
  };
}

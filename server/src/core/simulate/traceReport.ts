import type { Rule, RuleSet } from '../model/types.ts';
import type { Span } from '../text/span.ts';
import { tracePacket, type HostSysctl, type Outcome, type Step } from './evaluate.ts';
import { packetToSpec, type Packet } from './packet.ts';

/**
 * A trace as plain data, shared by the CLI's `--format json` and the language server's
 * `iptables/trace` request. Where a rule sits is left to the front end: `locate` turns a
 * span into the fields it wants (`{line}` for the CLI, `{range}` for LSP), spread into the
 * step or condition.
 */

/** `untrack`: raw's NOTRACK (or `CT --notrack`) left the packet UNTRACKED, and the chain went on. */
export type StepKind = 'verdict' | 'nat' | 'jump' | 'goto' | 'return' | 'policy' | 'untrack' | 'none';

export interface TraceRewrite {
  destination?: string;
  source?: string;
}

export type TraceStep<L extends object> = {
  /** The netfilter hook the step belongs to (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING). */
  hook?: string;
  table: string;
  chain: string;
  kind: StepKind;
  /** The deciding rule as written (or the one that untracked the packet). */
  rule?: string;
  /** Its target (ACCEPT, DNAT, a chain name…). */
  target?: string;
  /** The chain's policy decided. */
  policy?: string;
  /** The NAT change this step made. */
  rewrite?: TraceRewrite;
} & Partial<L>;

export type TraceCondition<L extends object> = {
  /** Kept for the CLI's JSON: `matches` or `does not match`. */
  assumed: 'matches' | 'does not match';
  matched: boolean;
  rule: string;
} & L;

export interface TraceBranch<L extends object> {
  verdict: string;
  /** Hooks entered in order; after PREROUTING the routing decision chose INPUT or FORWARD. */
  hooks: string[];
  path: TraceStep<L>[];
  rewrites: TraceRewrite;
  /** The rules that could not be decided, and what this branch assumes of them. */
  conditions: TraceCondition<L>[];
  /** The packet as the last step saw it (NAT applied), as a SPEC. */
  finalPacket: string;
  /** What the routing decision did that no rule shows: a loopback destination from another host. */
  routing?: string;
}

export interface TraceReport<L extends object> {
  /** The verdict of every branch, or UNCERTAIN when they differ. */
  verdict: string;
  /** The traced packet as a SPEC (defaults written out). */
  packet: string;
  branches: TraceBranch<L>[];
}

const NAT_DESTINATION = new Set(['DNAT', 'REDIRECT']);
const NAT_SOURCE = new Set(['SNAT', 'MASQUERADE']);

function kindOf(s: Step): StepKind {
  const t = s.rule?.target;
  if (s.policy) return 'policy';
  if (s.untracked) return 'untrack';
  if (!s.rule || !t) return 'none';
  if (NAT_DESTINATION.has(t.name) || NAT_SOURCE.has(t.name) || t.name === 'NETMAP') return 'nat';
  if (t.name === 'RETURN') return 'return';
  if (!t.spec) return t.goto ? 'goto' : 'jump';
  return 'verdict';
}

function rewriteOf(s: Step, o: Outcome): TraceRewrite | undefined {
  const t = s.rule?.target?.name;
  if (!t) return undefined;
  const toDestination = NAT_DESTINATION.has(t) || (t === 'NETMAP' && (s.hook === 'PREROUTING' || s.hook === 'OUTPUT'));
  const toSource = NAT_SOURCE.has(t) || (t === 'NETMAP' && !toDestination);
  if (toDestination && o.rewrites.destination) return { destination: o.rewrites.destination };
  if (toSource && o.rewrites.source) return { source: o.rewrites.source };
  return undefined;
}

/** The report of outcomes already computed (by `tracePacket`). */
export function describeOutcomes<L extends object>(outcomes: Outcome[], packet: Packet, text: string, locate: (span: Span) => L): TraceReport<L> {
  const ruleText = (r: Rule) => text.slice(r.span.start, r.span.end);
  const branches = outcomes.map((o): TraceBranch<L> => ({
    verdict: o.verdict,
    hooks: o.hooks ?? [...new Set(o.path.map((s) => s.hook).filter((h): h is string => !!h))],
    path: o.path.map((s) => {
      const step = { hook: s.hook, table: s.table, chain: s.chain, kind: kindOf(s) } as TraceStep<L>;
      if (s.rule) Object.assign(step, locate(s.rule.span), { rule: ruleText(s.rule), target: s.rule.target?.name });
      if (s.policy) step.policy = s.policy;
      const rewrite = rewriteOf(s, o);
      if (rewrite) step.rewrite = rewrite;
      return step;
    }),
    rewrites: { ...o.rewrites },
    conditions: o.assumptions.map((a) => ({ ...locate(a.rule.span), assumed: a.matched ? 'matches' : 'does not match', matched: a.matched, rule: ruleText(a.rule) })),
    finalPacket: packetToSpec(o.packet),
    ...(o.routing ? { routing: o.routing } : {}),
  }));
  const verdicts = new Set(outcomes.map((o) => o.verdict));
  return { verdict: verdicts.size === 1 ? [...verdicts][0] : 'UNCERTAIN', packet: packetToSpec(packet), branches };
}

/** Traces `packet` through `rs` and reports it; `host`: a save file's host settings, where the front end found them. */
export function traceReport<L extends object>(rs: RuleSet, text: string, packet: Packet, locate: (span: Span) => L, host?: HostSysctl): TraceReport<L> {
  return describeOutcomes(tracePacket(rs, packet, host), packet, text, locate);
}

import type { Chain, Rule, RuleSet } from '../model/types.ts';
import { packetToSpec } from '../simulate/packet.ts';
import { packetMatchedBy } from '../simulate/packetFromRule.ts';
import type { Span } from '../text/span.ts';
import type { ChainIndex } from './chainIndex.ts';
import { drain, STEP_ITEMS, type Steps } from './steps.ts';

export interface ChainLens {
  span: Span;
  title: string;
  /** How many rules the chain holds (the title's first number). */
  rules: number;
  /** Where the references are, for a "show references" action. */
  references: Span[];
}

export interface TraceLens {
  /** The rule the lens sits above. */
  span: Span;
  /** The packet SPEC of the connection the rule is written for. */
  spec: string;
}

/**
 * Where the lenses go, before what they say: an editor asks for every lens of the document
 * after each pause in typing but shows only those on screen, and asks what those say. A
 * 100k-rule dump has 36,000 chains and 27,000 DNAT rules; counting the references of each
 * chain and working out the packet of each rule every time cost half a second.
 */
export type LensPlace = ChainPlace | TracePlace;

/**
 * A chain lens stands on the line of the chain's first declaration; the place is the chain
 * itself (its table and family are the lens's), not an object of its own: an editor's refresh
 * keeps the places of a kube-proxy dump's 63,000 lenses for the lenses it resolves.
 */
export type ChainPlace = Chain;

/** A trace lens stands on its DNAT or REDIRECT rule: the place is the rule. */
export type TracePlace = Rule;

/** Where a chain lens stands: the line of the chain's first declaration (places have one). */
export function chainPlaceSpan(c: ChainPlace): Span {
  return c.declarations[0].line;
}

/** Where a trace lens stands: its rule. */
export function tracePlaceSpan(r: TracePlace): Span {
  return r.span;
}

const TRACED_TARGETS = new Set(['DNAT', 'REDIRECT']);
const ADDING = new Set(['append', 'insert', 'replace']);

/** Each declared chain, in the text order of its first declaration's line. */
export function chainLensPlaces(rs: RuleSet): ChainPlace[] {
  return drain(chainLensPlaceSteps(rs));
}

/** chainLensPlaces in steps (see steps.ts). */
export function* chainLensPlaceSteps(rs: RuleSet): Steps<ChainPlace[]> {
  const out: ChainPlace[] = [];
  let seen = 0;
  for (const t of rs.tables.values()) {
    for (const c of t.chains.values()) {
      if (++seen % STEP_ITEMS === 0) yield;
      if (c.declarations.length) out.push(c);
    }
  }
  return out.sort((a, b) => chainPlaceSpan(a).start - chainPlaceSpan(b).start);
}

/** Each DNAT and REDIRECT rule, in text order. */
export function traceLensPlaces(rs: RuleSet): TracePlace[] {
  return drain(traceLensPlaceSteps(rs));
}

/** traceLensPlaces in steps (see steps.ts). */
export function* traceLensPlaceSteps(rs: RuleSet): Steps<TracePlace[]> {
  const out: TracePlace[] = [];
  let seen = 0;
  for (const cmd of rs.commands) {
    if (++seen % STEP_ITEMS === 0) yield;
    const rule = cmd.rule;
    if (!rule || !ADDING.has(cmd.kind) || rule.table !== 'nat' || !TRACED_TARGETS.has(rule.target?.name ?? '')) continue;
    out.push(rule);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Above a chain declaration: how many rules the chain holds and who jumps to it. */
export function chainLensAt(c: ChainPlace, index: ChainIndex): ChainLens {
  const refs = index.jumpsTo(c.family, c.table, c.name);
  const rules = `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`;
  const title = c.builtin ? `${rules} · policy ${c.policy}` : `${rules} · ${refs.length === 0 ? 'no references' : `${refs.length} reference${refs.length === 1 ? '' : 's'}`}`;
  return { span: chainPlaceSpan(c), title, rules: c.rules.length, references: refs.map((r) => r.span) };
}

/** Above a DNAT or REDIRECT rule: trace the first packet of a connection it translates. */
export function traceLensAt(rule: TracePlace): TraceLens {
  return { span: rule.span, spec: packetToSpec(packetMatchedBy(rule)) };
}

/** Every chain lens, said in full. */
export function chainLenses(rs: RuleSet, index: ChainIndex): ChainLens[] {
  return chainLensPlaces(rs).map((p) => chainLensAt(p, index));
}

/** Every trace lens, said in full. */
export function traceLenses(rs: RuleSet): TraceLens[] {
  return traceLensPlaces(rs).map((p) => traceLensAt(p));
}

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

export interface ChainPlace {
  kind: 'chain';
  span: Span;
  family: RuleSet['family'];
  table: string;
  chain: Chain;
}

export interface TracePlace {
  kind: 'trace';
  span: Span;
  rule: Rule;
}

const TRACED_TARGETS = new Set(['DNAT', 'REDIRECT']);
const ADDING = new Set(['append', 'insert', 'replace']);

/** Each chain declaration (its line), in text order. */
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
      const decl = c.declarations[0];
      if (decl) out.push({ kind: 'chain', span: decl.line, family: t.family, table: t.name, chain: c });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
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
    out.push({ kind: 'trace', span: rule.span, rule });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** Above a chain declaration: how many rules the chain holds and who jumps to it. */
export function chainLensAt(place: ChainPlace, index: ChainIndex): ChainLens {
  const c = place.chain;
  const refs = index.jumpsTo(place.family, place.table, c.name);
  const rules = `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`;
  const title = c.builtin ? `${rules} · policy ${c.policy}` : `${rules} · ${refs.length === 0 ? 'no references' : `${refs.length} reference${refs.length === 1 ? '' : 's'}`}`;
  return { span: place.span, title, rules: c.rules.length, references: refs.map((r) => r.span) };
}

/** Above a DNAT or REDIRECT rule: trace the first packet of a connection it translates. */
export function traceLensAt(place: TracePlace): TraceLens {
  return { span: place.span, spec: packetToSpec(packetMatchedBy(place.rule)) };
}

/** Every chain lens, said in full. */
export function chainLenses(rs: RuleSet, index: ChainIndex): ChainLens[] {
  return chainLensPlaces(rs).map((p) => chainLensAt(p, index));
}

/** Every trace lens, said in full. */
export function traceLenses(rs: RuleSet): TraceLens[] {
  return traceLensPlaces(rs).map((p) => traceLensAt(p));
}

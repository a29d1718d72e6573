import type { RuleSet } from '../model/types.ts';
import { packetToSpec } from '../simulate/packet.ts';
import { packetMatchedBy } from '../simulate/packetFromRule.ts';
import type { Span } from '../text/span.ts';
import type { ChainIndex } from './chainIndex.ts';

export interface ChainLens {
  span: Span;
  title: string;
  /** How many rules the chain holds (the title's first number). */
  rules: number;
  /** Where the references are, for a "show references" action. */
  references: Span[];
}

/** Above each chain declaration: how many rules it holds and who jumps to it. */
export function chainLenses(rs: RuleSet, index: ChainIndex): ChainLens[] {
  const out: ChainLens[] = [];
  for (const t of rs.tables.values()) {
    for (const c of t.chains.values()) {
      const decl = c.declarations[0];
      if (!decl) continue;
      const refs = index.of(t.family, t.name, c.name).filter((r) => r.kind === 'jump' || r.kind === 'goto');
      const rules = `${c.rules.length} rule${c.rules.length === 1 ? '' : 's'}`;
      const title = c.builtin ? `${rules} · policy ${c.policy}` : `${rules} · ${refs.length === 0 ? 'no references' : `${refs.length} reference${refs.length === 1 ? '' : 's'}`}`;
      out.push({ span: decl.line, title, rules: c.rules.length, references: refs.map((r) => r.span) });
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

export interface TraceLens {
  /** The rule the lens sits above. */
  span: Span;
  /** The packet SPEC of the connection the rule is written for. */
  spec: string;
}

const TRACED_TARGETS = new Set(['DNAT', 'REDIRECT']);
const ADDING = new Set(['append', 'insert', 'replace']);

/** Above each DNAT and REDIRECT rule: trace the first packet of a connection it translates. */
export function traceLenses(rs: RuleSet): TraceLens[] {
  const out: TraceLens[] = [];
  for (const cmd of rs.commands) {
    const rule = cmd.rule;
    if (!rule || !ADDING.has(cmd.kind) || rule.table !== 'nat' || !TRACED_TARGETS.has(rule.target?.name ?? '')) continue;
    out.push({ span: rule.span, spec: packetToSpec(packetMatchedBy(rule)) });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

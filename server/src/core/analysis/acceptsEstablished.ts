import type { Chain, Rule, RuleSet } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';
import { unconditional } from './unconditional.ts';

/**
 * The first answer `test` gives for an ACCEPT rule of the chain or of a chain it jumps to, in
 * the order a packet meets them.
 */
function firstAccept<T>(rs: RuleSet, chain: Chain, test: (r: Rule, jumpedTo: boolean) => T | undefined, seen = new Set<string>()): T | undefined {
  const jumpedTo = seen.size > 0;
  seen.add(chain.name);
  for (const r of chain.rules) {
    const t = r.target;
    if (!t) continue;
    if (t.name === 'ACCEPT') {
      const found = test(r, jumpedTo);
      if (found !== undefined) return found;
    } else if (!t.spec && !seen.has(t.name)) {
      const callee = rs.tables.get(`${chain.family}:${chain.table}`)?.chains.get(t.name);
      const found = callee && firstAccept(rs, callee, test, seen);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The `--ctstate` / `--state` values a rule tests, except negated ones. */
function stateWords(r: Rule): Word[] {
  const out: Word[] = [];
  for (const m of r.matches) {
    for (const o of m.options) if ((o.name === '--ctstate' || o.name === '--state') && !o.negated && o.values[0]) out.push(o.values[0]);
  }
  return out;
}

/** Some rule the chain (or a chain it jumps to) uses accepts ESTABLISHED packets, or the chain itself accepts every packet. */
export function acceptsEstablished(rs: RuleSet, chain: Chain): boolean {
  return firstAccept(rs, chain, (r, jumpedTo) => {
    // in a chain jumped to, an accept of everything takes what the jump lets through only
    if (!jumpedTo && unconditional(r)) return true;
    const mentions = stateWords(r).some((v) => v.dynamic || /ESTABLISHED/i.test(v.value));
    const dynamic = r.dynamic || r.options.some((o) => o.values.some((w) => w.dynamic));
    return mentions || dynamic ? true : undefined;
  }) === true;
}

/** The state value of the first accept of ESTABLISHED without RELATED in the chain or a chain it jumps to (of those `passes`, when given). */
export function establishedOnly(rs: RuleSet, chain: Chain, passes?: (r: Rule) => boolean): Word | undefined {
  return firstAccept(rs, chain, (r) => (!passes || passes(r) ? establishedOnlyWord(r) : undefined));
}

/** The rule's state value that names ESTABLISHED without RELATED, if it has one. */
export function establishedOnlyWord(r: Rule): Word | undefined {
  return stateWords(r).find((v) => !v.dynamic && /ESTABLISHED/i.test(v.value) && !/RELATED/i.test(v.value));
}

/**
 * The first accept of the chain (or of a chain it jumps to) that takes new connections alone
 * (`--ctstate NEW`): where nothing accepts ESTABLISHED, their packets after the first are dropped.
 */
export function acceptsNewOnly(rs: RuleSet, chain: Chain): Rule | undefined {
  return firstAccept(rs, chain, (r) => (stateWords(r).some((v) => !v.dynamic && v.value.toUpperCase().split(',').every((s) => s === 'NEW')) ? r : undefined));
}

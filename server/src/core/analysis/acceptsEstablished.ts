import type { Chain, RuleSet } from '../model/types.ts';

/** Some rule the chain (or a chain it jumps to) uses accepts ESTABLISHED packets. */
export function acceptsEstablished(rs: RuleSet, chain: Chain, seen = new Set<string>()): boolean {
  seen.add(chain.name);
  for (const r of chain.rules) {
    const t = r.target;
    if (!t) continue;
    const states = r.matches.flatMap((m) => m.options).filter((o) => o.name === '--ctstate' || o.name === '--state');
    const mentions = states.some((o) => !o.negated && (o.values[0]?.dynamic || /ESTABLISHED/i.test(o.values[0]?.value ?? '')));
    const dynamic = r.dynamic || r.options.some((o) => o.values.some((v) => v.dynamic));
    if (t.name === 'ACCEPT' && (mentions || dynamic)) return true;
    if (!t.spec && !seen.has(t.name)) {
      const callee = rs.tables.get(`${chain.family}:${chain.table}`)?.chains.get(t.name);
      if (callee && acceptsEstablished(rs, callee, seen)) return true;
    }
  }
  return false;
}


import type { Chain, Rule, RuleSet } from '../model/types.ts';

const SOURCE_NAT = new Set(['MASQUERADE', 'SNAT']);

/**
 * The SNAT and MASQUERADE rules of IPv4 nat POSTROUTING and of the user chains it reaches,
 * whatever jumps there: the checks that ask whether some source NAT can apply to a kind of
 * connection (hairpin NAT, a LAN's way out) read each of them.
 */
export function sourceNatRules(rs: RuleSet): Rule[] {
  const table = rs.tables.get('ipv4:nat');
  const start = table?.chains.get('POSTROUTING');
  if (!table || !start) return [];
  const out: Rule[] = [];
  const seen = new Set<Chain>([start]);
  const stack = [start];
  while (stack.length) {
    for (const r of stack.pop()!.rules) {
      const t = r.target;
      if (t && SOURCE_NAT.has(t.name)) out.push(r);
      const next = t && !t.spec ? table.chains.get(t.name) : undefined;
      if (next && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return out;
}

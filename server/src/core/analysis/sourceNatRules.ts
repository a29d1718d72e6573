import type { Rule, RuleSet } from '../model/types.ts';
import { chainsReached } from './chainsReached.ts';

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
  for (const chain of chainsReached(table, start)) {
    for (const r of chain.rules) if (r.target && SOURCE_NAT.has(r.target.name)) out.push(r);
  }
  return out;
}

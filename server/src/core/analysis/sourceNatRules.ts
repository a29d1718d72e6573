import type { Family } from '../knowledge/types.ts';
import type { Rule, RuleSet } from '../model/types.ts';
import { chainsReached } from './chainsReached.ts';

const SOURCE_NAT = new Set(['MASQUERADE', 'SNAT']);

/**
 * The SNAT and MASQUERADE rules of nat POSTROUTING (IPv4 unless told) and of the user chains
 * it reaches, whatever jumps there: the checks that ask whether some source NAT can apply to a
 * kind of connection (hairpin NAT, a LAN's way out, untracked packets) read each of them.
 */
export function sourceNatRules(rs: RuleSet, family: Family = 'ipv4'): Rule[] {
  const table = rs.tables.get(`${family}:nat`);
  const start = table?.chains.get('POSTROUTING');
  if (!table || !start) return [];
  const out: Rule[] = [];
  for (const chain of chainsReached(table, start)) {
    for (const r of chain.rules) if (r.target && SOURCE_NAT.has(r.target.name)) out.push(r);
  }
  return out;
}

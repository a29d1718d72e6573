import type { Family } from '../knowledge/types.ts';
import type { RuleSet } from '../model/types.ts';
import { commandIndexAt } from './commandAt.ts';
import { NEARBY_COMMANDS } from './valuesInUse.ts';

/** The options whose first value names an ipset. */
export const SET_NAME_OPTIONS = new Set(['--match-set', '--set', '--add-set', '--del-set', '--map-set']);

export interface SetNameOffered {
  name: string;
  detail: string;
}

/**
 * The set names to offer after `--match-set` and the SET target's options: those the script's
 * ipset commands create (for the family of the rule being written, or holding no addresses),
 * then those the rules near the cursor name, the most named first.
 */
export function setNamesOffered(rs: RuleSet, offset: number, family: Family): SetNameOffered[] {
  const out: SetNameOffered[] = [];
  const seen = new Set<string>();
  for (const s of rs.ipsets ?? []) {
    const name = s.kind === 'create' ? s.name : s.kind === 'rename' ? s.to : undefined;
    if (name === undefined || seen.has(name) || (s.family && s.family !== family)) continue;
    seen.add(name);
    out.push({ name, detail: s.kind === 'create' ? `created by the script${s.family ? ` (${s.family === 'ipv6' ? 'IPv6' : 'IPv4'})` : ''}` : 'renamed to by the script' });
  }
  const counts = new Map<string, number>();
  const cmds = rs.commands;
  const at = commandIndexAt(rs, offset);
  for (let i = Math.max(0, at - NEARBY_COMMANDS); i < Math.min(cmds.length, at + 1 + NEARBY_COMMANDS); i++) {
    const cmd = cmds[i];
    if (!cmd.rule || (cmd.span.start <= offset && offset <= cmd.span.end)) continue;
    for (const o of cmd.rule.options) {
      const w = SET_NAME_OPTIONS.has(o.name) ? o.values[0] : undefined;
      if (w && !w.dynamic && !seen.has(w.value)) counts.set(w.value, (counts.get(w.value) ?? 0) + 1);
    }
  }
  for (const [name, n] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out.push({ name, detail: `named by ${n === 1 ? 'one rule' : `${n} rules`} nearby` });
  return out;
}

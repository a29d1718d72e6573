import { isBuiltinChain } from '../model/builtinChains.ts';
import type { Chain, RuleSet, Table } from '../model/types.ts';

/**
 * For each user chain of a table, the built-in chains (hooks) from which some path of
 * jumps and gotos reaches it. Targets and matches restricted to certain hooks are checked
 * against this set.
 */
export function hooksReaching(table: Table): Map<string, Set<string>> {
  // callees by chain object: the name lookups happen once per rule, the walks compare objects
  const callees = new Map<Chain, Chain[]>();
  for (const c of table.chains.values()) {
    const list: Chain[] = [];
    for (const r of c.rules) {
      const t = r.target;
      if (!t || t.spec) continue;
      const next = table.chains.get(t.name);
      if (next && next !== c) list.push(next);
    }
    if (list.length) callees.set(c, list);
  }
  const out = new Map<string, Set<string>>();
  for (const c of table.chains.values()) {
    if (!isBuiltinChain(table.name, c.name)) continue;
    const stack = [c];
    const seen = new Set<Chain>(stack);
    while (stack.length) {
      const cur = stack.pop()!;
      for (const next of callees.get(cur) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
        let hooks = out.get(next.name);
        if (!hooks) out.set(next.name, (hooks = new Set()));
        hooks.add(c.name);
      }
    }
  }
  return out;
}

/** Chain names declared anywhere for a family and table (scripts: at any point of the run). */
export function declaredChains(rs: RuleSet, family: string, table: string): Set<string> {
  const names = new Set<string>();
  const t = rs.tables.get(`${family}:${table}`);
  if (t) for (const c of t.chains.values()) if (c.builtin || c.declarations.length) names.add(c.name);
  for (const cmd of rs.commands) {
    if (cmd.family !== family || cmd.table !== table) continue;
    if (cmd.kind === 'new-chain' && cmd.chainWord && !cmd.chainWord.dynamic) names.add(cmd.chainWord.value);
    if (cmd.kind === 'rename-chain' && cmd.newName && !cmd.newName.dynamic) names.add(cmd.newName.value);
  }
  return names;
}

/** A table name that is a shell expansion, or any dynamic chain declaration, makes chain existence unknowable. */
const uncertainCache = new WeakMap<RuleSet, Set<string>>();
export function chainsUncertain(rs: RuleSet, family: string, table: string): boolean {
  let set = uncertainCache.get(rs);
  if (!set) {
    set = new Set();
    for (const c of rs.commands) {
      if (c.tableDynamic) set.add(`${c.family}:*`);
      else if ((c.kind === 'new-chain' || c.kind === 'rename-chain') && c.uncertain) set.add(`${c.family}:${c.table}`);
    }
    uncertainCache.set(rs, set);
  }
  return set.has(`${family}:*`) || set.has(`${family}:${table}`);
}

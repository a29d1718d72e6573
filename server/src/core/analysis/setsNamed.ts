import type { Rule } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';

/** The options whose first value names an ipset: the set match's, the SET target's. */
export const SET_NAME_OPTIONS: ReadonlySet<string> = new Set(['--match-set', '--add-set', '--del-set', '--map-set']);

/** The ipsets a rule names (`-m set --match-set NAME`, `-j SET --add-set NAME`), as written; names the shell expands left out. */
export function setsNamedBy(rule: Rule): Word[] {
  const out: Word[] = [];
  for (const m of rule.matches) {
    if (m.name !== 'set') continue;
    for (const o of m.options) if (SET_NAME_OPTIONS.has(o.name) && o.values[0] && !o.values[0].dynamic) out.push(o.values[0]);
  }
  const t = rule.target;
  if (t?.name === 'SET') for (const o of t.options) if (SET_NAME_OPTIONS.has(o.name) && o.values[0] && !o.values[0].dynamic) out.push(o.values[0]);
  return out;
}

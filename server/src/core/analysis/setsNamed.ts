import type { Rule } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';

/** The SET target's options that name a set. */
const TARGET_SET_OPTIONS = new Set(['--add-set', '--del-set', '--map-set']);

/** The ipsets a rule names (`-m set --match-set NAME`, `-j SET --add-set NAME`), as written; names the shell expands left out. */
export function setsNamedBy(rule: Rule): Word[] {
  const out: Word[] = [];
  for (const m of rule.matches) {
    if (m.name !== 'set') continue;
    for (const o of m.options) if (o.name === '--match-set' && o.values[0] && !o.values[0].dynamic) out.push(o.values[0]);
  }
  const t = rule.target;
  if (t?.name === 'SET') for (const o of t.options) if (TARGET_SET_OPTIONS.has(o.name) && o.values[0] && !o.values[0].dynamic) out.push(o.values[0]);
  return out;
}

import type { Family } from '../knowledge/types.ts';
import type { RuleSet } from '../model/types.ts';
import { setsNamedBy } from '../analysis/setsNamed.ts';
import type { LineIndex } from '../text/lineIndex.ts';
import type { Span } from '../text/span.ts';
import { commandAt, commandIndexAt } from './commandAt.ts';
import { NEARBY_COMMANDS } from './valuesInUse.ts';

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
    for (const w of setsNamedBy(cmd.rule)) if (!seen.has(w.value)) counts.set(w.value, (counts.get(w.value) ?? 0) + 1);
  }
  for (const [name, n] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) out.push({ name, detail: `named by ${n === 1 ? 'one rule' : `${n} rules`} nearby` });
  return out;
}

/** Hover on a set's name: what the script's ipset commands make of it, or that the host must have it. */
export function setHover(rs: RuleSet, lines: LineIndex, name: string): string {
  const made = (rs.ipsets ?? []).find((s) => s.kind === 'create' && s.name === name);
  if (made) {
    const line = lines.lineOf(made.span.start) + 1;
    const holds = `${made.family ? `, ${made.family === 'ipv6' ? 'IPv6' : 'IPv4'} addresses` : ''}${made.extensions?.length ? `, with ${made.extensions.join(', ')}` : ''}`;
    return `ipset **${name}**${made.type ? ` (\`${made.type}\`${holds})` : ''}: created by the script's ipset command on line ${line}. iptables refuses a rule naming a set that does not exist yet, or one of the other address family.`;
  }
  if (rs.dialect === 'script') return `ipset **${name}**: no ipset command of this script creates it. The rule is refused unless the set exists on the host when it is added (\`ipset create ${name} …\`, or restored at boot).`;
  return `ipset **${name}**: the set must exist on the host before these rules are loaded (\`ipset create\` or \`ipset restore\` first); iptables-restore fails on a rule naming a missing set.`;
}

/** A place that names an ipset: a script's ipset command that creates it, one that uses, renames or destroys it, or a rule. */
export interface SetRef {
  span: Span;
  kind: 'create' | 'ipset' | 'rule';
}

/** The set named at `offset` (in a rule, or in a script's ipset command) and every place that names it, in text order. */
export function setReferencesAt(rs: RuleSet, offset: number): { name: string; refs: SetRef[] } | undefined {
  const within = (s: Span) => s.start <= offset && offset <= s.end;
  const cmd = commandAt(rs, offset);
  const name = (cmd?.rule ? setsNamedBy(cmd.rule).find((w) => within(w.span))?.value : undefined) ?? (rs.ipsets ?? []).find((s) => s.name !== undefined && within(s.span))?.name;
  if (name === undefined) return undefined;
  const refs: SetRef[] = [];
  const seen = new Set<string>();
  const add = (span: Span, kind: SetRef['kind']) => {
    const key = `${span.start}:${span.end}`;
    if (seen.has(key)) return;
    seen.add(key);
    refs.push({ span, kind });
  };
  // a function's ipset commands are recorded at each call: one place each
  for (const s of rs.ipsets ?? []) {
    if (s.name === name) add(s.span, s.kind === 'create' ? 'create' : 'ipset');
    else if (s.kind === 'rename' && s.to === name) add(s.span, 'ipset');
  }
  for (const c of rs.commands) {
    if (!c.rule) continue;
    for (const w of setsNamedBy(c.rule)) if (w.value === name) add(w.span, 'rule');
  }
  refs.sort((a, b) => a.span.start - b.span.start);
  return { name, refs };
}

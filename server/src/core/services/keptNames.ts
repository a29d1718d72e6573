import { chainFacts } from '../analysis/chainGraph.ts';
import { settingsOf } from '../analysis/hashlimitTables.ts';
import { plainValue } from '../analysis/plainValue.ts';
import { ESTIMATOR_READ_OPTIONS, estimatorName } from '../analysis/rateEstimators.ts';
import { timerLabel } from '../analysis/idleTimers.ts';
import type { Family } from '../knowledge/types.ts';
import type { Command, MatchUse, Rule, RuleSet } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';
import type { LineIndex } from '../text/lineIndex.ts';
import type { Span } from '../text/span.ts';
import { commandAt } from './commandAt.ts';

/**
 * Names the kernel keeps state under, which rules share: a hashlimit table (per address
 * family), a rate estimator (one for both families, by its first 15 characters), a recent
 * list (per family here, as an IPv4 `--set` fills nothing an IPv6 test reads) and an idle
 * timer (one for the whole machine, by the first 27 characters of its label).
 */
export type KeptKind = 'hashlimit table' | 'rate estimator' | 'recent list' | 'idle timer';

/** Kinds one name of which serves IPv4 and IPv6 rules alike. */
const FAMILY_BLIND: ReadonlySet<KeptKind> = new Set(['rate estimator', 'idle timer']);

export interface KeptRef {
  span: Span;
  rule: Rule;
  /** The match whose option names it (none for a target: RATEEST, IDLETIMER). */
  match?: MatchUse;
  /** Makes the state or fills it: the first rule of a hashlimit table or idle timer, a RATEEST, a `--set`. */
  makes: boolean;
}

export interface KeptName {
  kind: KeptKind;
  name: string;
  family?: Family;
  /** Every rule naming it, in the order they are added. */
  refs: KeptRef[];
}

/** The options whose value is a kept name (recent's `--name` and IDLETIMER's `--label` among them: see keptNameAt for the owner). */
export const KEPT_NAME_OPTIONS: ReadonlySet<string> = new Set(['--hashlimit-name', '--name', '--rateest-name', '--label', ...ESTIMATOR_READ_OPTIONS]);

interface Naming {
  kind: KeptKind;
  name: string;
  word: Word;
  makes: boolean;
  match?: MatchUse;
}

/** The names a rule gives the kernel's state: its hashlimit table, recent list, estimators made or read, idle timer. */
function namings(rule: Rule): Naming[] {
  const out: Naming[] = [];
  const named = (m: MatchUse, option: string) => plainValue(m.options.find((o) => o.name === option));
  for (const m of rule.matches) {
    if (m.name === 'hashlimit') {
      const w = named(m, '--hashlimit-name');
      if (w) out.push({ kind: 'hashlimit table', name: w.value, word: w, makes: false, match: m });
    } else if (m.name === 'recent') {
      const sets = m.options.some((o) => o.name === '--set');
      const w = named(m, '--name');
      // without --name the list is DEFAULT: nothing written to point at
      if (w) out.push({ kind: 'recent list', name: w.value, word: w, makes: sets, match: m });
    } else if (m.name === 'rateest') {
      for (const o of m.options) {
        const w = ESTIMATOR_READ_OPTIONS.has(o.name) ? plainValue(o) : undefined;
        if (w) out.push({ kind: 'rate estimator', name: estimatorName(w.value), word: w, makes: false, match: m });
      }
    }
  }
  const t = rule.target;
  if (t?.name === 'RATEEST') {
    const w = plainValue(t.options.find((o) => o.name === '--rateest-name'));
    if (w) out.push({ kind: 'rate estimator', name: estimatorName(w.value), word: w, makes: true });
  } else if (t?.name === 'IDLETIMER') {
    const w = plainValue(t.options.find((o) => o.name === '--label'));
    if (w) out.push({ kind: 'idle timer', name: timerLabel(w.value), word: w, makes: false });
  }
  return out;
}

const sameState = (a: { kind: KeptKind; name: string }, b: { kind: KeptKind; name: string }, fa: Family, fb: Family) =>
  a.kind === b.kind && a.name === b.name && (FAMILY_BLIND.has(a.kind) || fa === fb);

/**
 * The kept name under the cursor (on its value) and every rule that names the same state, in
 * the order the rules are added (a function bound at each call: at each call).
 */
export function keptNameAt(rs: RuleSet, offset: number): KeptName | undefined {
  const inside = (s: Span) => s.start <= offset && offset <= s.end;
  // a call of a function bound at each call names its state with the call's arguments
  const candidates = [commandAt(rs, offset), ...(rs.instances ?? []).filter((c) => inside(c.span))];
  let cmd: Command | undefined;
  let here: Naming | undefined;
  for (const c of candidates) {
    here = c?.rule ? namings(c.rule).find((n) => inside(n.word.span)) : undefined;
    if (here) {
      cmd = c;
      break;
    }
  }
  if (!cmd || !here) return undefined;
  const family = cmd.family;
  const refs: KeptRef[] = [];
  const seen = new Set<string>();
  const commands: readonly Command[] = chainFacts(rs).sharedByName;
  for (const c of commands) {
    if (!c.rule || c.kind === 'delete' || c.kind === 'check') continue;
    for (const n of namings(c.rule)) {
      if (!sameState(here, n, family, c.family)) continue;
      const key = `${n.word.span.start}:${n.word.span.end}:${n.makes}`;
      if (seen.has(key)) continue;
      seen.add(key);
      refs.push({ span: n.word.span, rule: c.rule, makes: n.makes, ...(n.match ? { match: n.match } : {}) });
    }
  }
  // the first rule naming a hashlimit table or an idle timer is the one that makes it
  if ((here.kind === 'hashlimit table' || here.kind === 'idle timer') && refs.length) refs[0].makes = true;
  return { kind: here.kind, name: here.name, ...(FAMILY_BLIND.has(here.kind) ? {} : { family }), refs };
}

const FAMILY_WORD: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

/** Hover on a kept name: which rules share it, which one makes it, and with what. */
export function keptNameHover(rs: RuleSet, lines: LineIndex, kept: KeptName): string {
  const lineOf = (r: KeptRef) => lines.lineOf(r.span.start) + 1;
  const linesOf = (refs: KeptRef[]) => [...new Set(refs.map(lineOf))].join(', ');
  const title = `${kept.kind} **${kept.name}**${kept.family ? ` (${FAMILY_WORD[kept.family]})` : ''}`;
  const makers = kept.refs.filter((r) => r.makes);
  const others = kept.refs.filter((r) => !r.makes);
  if (kept.kind === 'hashlimit table') {
    const first = kept.refs[0];
    const written = (first?.match && settingsOf(first.match, first.rule.family))?.map((s) => s.shown).filter((s) => !s.startsWith('no ')) ?? [];
    const shared = kept.refs.length > 1 ? `${kept.refs.length} rules name it (lines ${linesOf(kept.refs)}). ` : '';
    return `${title}: ${shared}The kernel keeps one table per name and family, made by the first rule that names it (line ${first ? lineOf(first) : '?'})${written.length ? `, with ${written.join(', ')}` : ''}; every rule naming it counts into it and limits with those settings.`;
  }
  if (kept.kind === 'idle timer') {
    const first = kept.refs[0];
    const alarm = first?.rule.target?.options.some((o) => o.name === '--alarm');
    const shared = kept.refs.length > 1 ? `${kept.refs.length} rules restart it (lines ${linesOf(kept.refs)}). ` : '';
    return `${title}: ${shared}The kernel keeps one timer per label for the whole machine (every table, IPv4 and IPv6, every network namespace), made by the first rule that names it (line ${first ? lineOf(first) : '?'}) as ${alarm ? 'an alarm timer (--alarm), which also fires while the system sleeps' : 'a plain timer'}; a rule asking for the other kind is refused. Userspace sees it in /sys/class/xt_idletimer/timers/${kept.name}.`;
  }
  if (kept.kind === 'rate estimator') {
    const made = makers.length ? `made by the RATEEST on line ${lineOf(makers[0])}${makers.length > 1 ? ` (and counted into on lines ${linesOf(makers.slice(1))})` : ''}` : 'made by no RATEEST rule here: the rule reading it is refused unless one made it before';
    const read = others.length ? `; read by the rateest match${others.length > 1 ? 'es' : ''} on line${others.length > 1 ? 's' : ''} ${linesOf(others)}` : '';
    return `${title}: ${made}${read}. An estimator exists while a RATEEST rule names it, for IPv4 and IPv6 rules and every table alike, with the interval and ewmalog of the rule that made it.`;
  }
  const filled = makers.length ? `filled by --set on line${makers.length > 1 ? 's' : ''} ${linesOf(makers)}` : 'filled by no --set rule here (it may be fed through /proc/net/xt_recent)';
  const read = others.length ? `; read on line${others.length > 1 ? 's' : ''} ${linesOf(others)}` : '';
  return `${title}: ${filled}${read}. Rules with the same --name share the list of addresses.`;
}

/** What an option's value names: undefined for an option whose value is not a kept name (`owner`: the match or target the option belongs to). */
export function keptKindOf(option: string, owner: string | undefined): KeptKind | undefined {
  if (option === '--hashlimit-name') return 'hashlimit table';
  if (option === '--rateest-name' || ESTIMATOR_READ_OPTIONS.has(option)) return 'rate estimator';
  if (option === '--label' && owner === 'IDLETIMER') return 'idle timer';
  return option === '--name' && owner === 'recent' ? 'recent list' : undefined;
}

/**
 * The names of `kind` the rules use, to offer after its option: for a rateest match the
 * estimators a RATEEST makes, otherwise every name in use (of the family, but estimators),
 * the state's maker first in the detail.
 */
export function keptNamesOffered(rs: RuleSet, lines: LineIndex, kind: KeptKind, family: Family, reading: boolean): { name: string; detail: string }[] {
  const first = new Map<string, { line: number; makes: boolean }>();
  for (const c of chainFacts(rs).sharedByName) {
    if (!c.rule || c.kind === 'delete' || c.kind === 'check') continue;
    if (!FAMILY_BLIND.has(kind) && c.family !== family) continue;
    for (const n of namings(c.rule)) {
      if (n.kind !== kind || (reading && kind === 'rate estimator' && !n.makes)) continue;
      const seen = first.get(n.name);
      if (!seen || (n.makes && !seen.makes)) first.set(n.name, { line: lines.lineOf(n.word.span.start) + 1, makes: n.makes || kind === 'hashlimit table' || kind === 'idle timer' });
    }
  }
  const what = (f: { line: number; makes: boolean }) =>
    kind === 'hashlimit table' ? `made on line ${f.line}: a rule naming it shares its settings` : kind === 'idle timer' ? `made on line ${f.line}: a rule naming it restarts that timer` : kind === 'rate estimator' ? `made by the RATEEST on line ${f.line}` : f.makes ? `filled by --set on line ${f.line}` : `read on line ${f.line}`;
  return [...first].map(([name, f]) => ({ name, detail: what(f) }));
}

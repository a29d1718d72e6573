import { FirewallDocument } from '../core/facade.ts';
import { differingSettings, tableUses, type TableUse } from '../core/analysis/hashlimitTables.ts';
import { estimatorUses, sameTiming, timingWritten, type EstimatorMade } from '../core/analysis/rateEstimators.ts';
import { timerUses, type TimerUse } from '../core/analysis/idleTimers.ts';
import type { Family } from '../core/knowledge/types.ts';

/** What the host's loaded rules hold by name that the new rules name too, as the apply meets it. */
export interface NamesOnHost {
  /** The host's iptables refuses the new rules for these: the apply would fail. */
  refused: { check: NamesCheck; detail: string }[];
  /** The new rules load, but not as written. */
  warnings: string[];
}

/** The apply's check a refusal belongs to (see Check). */
export type NamesCheck = 'hashlimit tables and rate estimators loaded' | 'idle timers loaded';

/**
 * The host's hashlimit tables, rate estimators and idle timers against the new rules'. Each
 * outlives a reload: iptables-restore checks each new rule while the rules it replaces are
 * still loaded, so a table, estimator or timer of a name both hold is the one the host made
 * (measured with iptables 1.8.9, nf_tables and legacy, in a network namespace). A new RATEEST
 * with other timing is refused then; a new hashlimit rule runs with the host table's rate,
 * burst and mode until no rule holds its name; rate-match beside a plain limit is refused; an
 * IDLETIMER asking for the other kind of timer is refused. `iptables-restore --test` and a
 * load into a fresh namespace see none of this but the last (idle timers are one list for
 * the whole machine, so the namespace's load is refused too, saying only "Invalid argument").
 */
export function namesOnHost(loadedText: string, newText: string, family: Family): NamesOnHost {
  const out: NamesOnHost = { refused: [], warnings: [] };
  // nothing to compare: the host's rules are not parsed (over a second for a 100k-rule dump)
  if (!/hashlimit|RATEEST|IDLETIMER/.test(newText)) return out;
  const hostRules = new FirewallDocument(loadedText, { dialect: 'save', family }).ruleSet.commands;
  const newRules = new FirewallDocument(newText, { dialect: 'save', family }).ruleSet.commands;
  const hostEstimators = new Map<string, EstimatorMade>();
  for (const m of estimatorUses(hostRules).made) if (!hostEstimators.has(m.name)) hostEstimators.set(m.name, m);
  const told = new Set<string>();
  for (const m of estimatorUses(newRules).made) {
    const host = hostEstimators.get(m.name);
    if (!host || sameTiming(host, m) || told.has(`rateest ${m.name}`)) continue;
    told.add(`rateest ${m.name}`);
    out.refused.push({ check: 'hashlimit tables and rate estimators loaded', detail: `the loaded rules make the rate estimator ${m.name} with ${timingWritten(host)}, and iptables-restore refuses a RATEEST of that name with ${timingWritten(m)} while they are loaded: use the loaded timing, another name, or remove the loaded RATEEST rules first` });
  }
  const hostTables = new Map<string, TableUse>();
  for (const u of tableUses(hostRules)) if (!hostTables.has(u.name)) hostTables.set(u.name, u);
  for (const u of tableUses(newRules)) {
    const host = hostTables.get(u.name);
    if (!host || told.has(`hashlimit ${u.name}`)) continue;
    if (host.rateMatch !== u.rateMatch) {
      told.add(`hashlimit ${u.name}`);
      out.refused.push({ check: 'hashlimit tables and rate estimators loaded', detail: `the loaded rules hold the hashlimit table ${u.name} ${host.rateMatch ? 'with' : 'without'} --hashlimit-rate-match, and iptables-restore refuses a rule on it ${u.rateMatch ? 'with' : 'without'} it while they are loaded: give the new rule another table name` });
      continue;
    }
    const { mine, theirs } = differingSettings(host, u);
    if (!mine.length) continue;
    told.add(`hashlimit ${u.name}`);
    out.warnings.push(`the loaded rules hold the hashlimit table ${u.name} with ${theirs.join(', ')}: the new rules take the table over as it is, so their ${mine.join(', ')} ${mine.length > 1 ? 'take' : 'takes'} no effect. Give the table a new name, or remove the rules that use it before the apply`);
  }
  // the kernel's idle timers are one list for the machine: the throwaway namespace's load is
  // refused too, but says only "Invalid argument"
  const hostTimers = new Map<string, TimerUse>();
  for (const u of timerUses(hostRules)) if (!hostTimers.has(u.label)) hostTimers.set(u.label, u);
  const kind = (u: TimerUse) => (u.alarm ? 'an alarm timer (--alarm)' : 'a plain timer (no --alarm)');
  for (const u of timerUses(newRules)) {
    const host = hostTimers.get(u.label);
    if (!host || !host.alarm === !u.alarm || told.has(`idletimer ${u.label}`)) continue;
    told.add(`idletimer ${u.label}`);
    out.refused.push({ check: 'idle timers loaded', detail: `the loaded rules hold the idle timer ${u.label} as ${kind(host)}, and the kernel refuses an IDLETIMER of that label as ${kind(u)} while they are loaded: keep the loaded kind, use another label, or remove the loaded IDLETIMER rules first` });
  }
  return out;
}

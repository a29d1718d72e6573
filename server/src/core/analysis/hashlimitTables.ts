import type { Family } from '../knowledge/types.ts';
import { hashlimitRate, rateUnit, writtenRateUnit } from '../knowledge/values/rates.ts';
import type { BoundOption, Command, MatchUse, Rule } from '../model/types.ts';

/**
 * A setting of the table a hashlimit match names: `key` compares two rules' settings as the
 * kernel keeps them (a default written out equals the default), `shown` is how the message
 * names it.
 */
export interface Setting {
  key: string;
  shown: string;
}

export interface TableUse {
  rule: Rule;
  match: MatchUse;
  name: string;
  nameOption: BoundOption;
  family: Family;
  rateMatch: boolean;
  /** Undefined when a value is a shell expansion or not one iptables reads: nothing to compare. */
  settings?: Setting[];
}

const option = (m: MatchUse, name: string) => m.options.find((o) => o.name === name);
const valueOf = (o: BoundOption | undefined) => (o ? o.keptValue ?? o.values[0]?.value : undefined);

/**
 * The settings the table keeps from the rule that creates it, with iptables 1.8.9's defaults
 * (measured: `iptables -S` leaves a default out, and lists one written out the same way only
 * where it is not the default): a burst of 5 packets, full masks, a gc interval of 1000 ms, an
 * expiry of the rate's unit (1000 ms for a rate per second, 60000 per minute) or 15000 ms for
 * a byte rate.
 */
export function settingsOf(m: MatchUse, family: Family): Setting[] | undefined {
  for (const o of m.options) if (o.values.some((w) => w.dynamic)) return undefined;
  const rateOption = option(m, '--hashlimit-upto') ?? option(m, '--hashlimit-above');
  const written = valueOf(rateOption);
  const rate = written === undefined ? undefined : hashlimitRate(written);
  if (!rate) return undefined;
  const out: Setting[] = [{ key: `${rate.bytes ? 'bytes' : 'packets'} ${rate.amount}`, shown: `${rateOption!.name} ${written}` }];
  const unitSeconds = rate.bytes ? undefined : rateUnit(writtenRateUnit(written!) ?? 'second')?.[1];
  const full = family === 'ipv6' ? '128' : '32';
  const defaults: [string, string | undefined][] = [
    ['--hashlimit-burst', rate.bytes ? undefined : '5'],
    ['--hashlimit-mode', ''],
    ['--hashlimit-srcmask', full],
    ['--hashlimit-dstmask', full],
    ['--hashlimit-htable-size', undefined],
    ['--hashlimit-htable-max', undefined],
    ['--hashlimit-htable-expire', rate.bytes ? '15000' : unitSeconds === undefined ? undefined : String(unitSeconds * 1000)],
    ['--hashlimit-htable-gcinterval', '1000'],
  ];
  if (option(m, '--hashlimit-rate-match')) defaults.push(['--hashlimit-rate-interval', '1']);
  for (const [name, fallback] of defaults) {
    const v = valueOf(option(m, name));
    const key = v === undefined ? fallback ?? 'default' : name === '--hashlimit-mode' ? v.split(',').sort().join(',') : /^\d+$/.test(v) ? String(Number(v)) : v;
    out.push({ key: `${name} ${key}`, shown: v === undefined ? `no ${name}` : `${name} ${v}` });
  }
  return out;
}

/** Every hashlimit match of the rules the commands add, in order. */
export function tableUses(commands: readonly Command[]): TableUse[] {
  const uses: TableUse[] = [];
  for (const cmd of commands) {
    const rule = cmd.rule;
    if (!rule || cmd.kind === 'delete' || cmd.kind === 'check') continue;
    for (const m of rule.matches) {
      if (m.name !== 'hashlimit') continue;
      const nameOption = option(m, '--hashlimit-name');
      const word = nameOption?.values[0];
      if (!nameOption || !word || word.dynamic) continue;
      const rateMatch = option(m, '--hashlimit-rate-match') !== undefined;
      uses.push({ rule, match: m, name: word.value, nameOption, family: cmd.family, rateMatch, settings: settingsOf(m, cmd.family) });
    }
  }
  return uses;
}

/**
 * What of `u`'s settings the table `made` created keeps otherwise: `u`'s as written and the
 * table's, in the same order (none when either has a setting not read here).
 */
export function differingSettings(made: TableUse, u: TableUse): { mine: string[]; theirs: string[] } {
  const mine: string[] = [];
  const theirs: string[] = [];
  if (!made.settings || !u.settings || made.rateMatch !== u.rateMatch) return { mine, theirs };
  for (let i = 0; i < u.settings.length; i++) {
    const a = made.settings[i];
    const b = u.settings[i];
    if (a.key !== b.key) {
      mine.push(b.shown);
      theirs.push(a.shown);
    }
  }
  return { mine, theirs };
}

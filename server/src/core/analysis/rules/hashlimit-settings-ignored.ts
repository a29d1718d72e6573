import type { Family } from '../../knowledge/types.ts';
import { hashlimitRate, writtenRateUnit, rateUnit } from '../../knowledge/values/rates.ts';
import type { BoundOption, Command, MatchUse, Rule } from '../../model/types.ts';
import { chainFacts } from '../chainGraph.ts';
import { presentWhenAdded } from '../presentWhenAdded.ts';
import type { Fix, LintRule } from '../types.ts';

/**
 * A setting of the table a hashlimit match names: `key` compares two rules' settings as the
 * kernel keeps them (a default written out equals the default), `shown` is how the message
 * names it.
 */
interface Setting {
  key: string;
  shown: string;
}

interface TableUse {
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
function settingsOf(m: MatchUse, family: Family): Setting[] | undefined {
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
function tableUses(commands: readonly Command[]): TableUse[] {
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

/** A name no hashlimit rule of the family uses: the fix's table of its own. */
function freeName(name: string, taken: Set<string>): string {
  let n = 2;
  while (taken.has(`${name}-${n}`)) n++;
  return `${name}-${n}`;
}

export const hashlimitSettingsIgnored: LintRule = {
  code: 'hashlimit-settings-ignored',
  severity: 'warning',
  summary: 'A hashlimit match naming a table an earlier rule creates with another rate, burst, mode, mask or table size: the kernel keeps the first rule\'s settings and ignores this rule\'s (with and without --hashlimit-rate-match, it refuses the rule).',
  docs: {
    description: 'Collects the hashlimit matches of the rules added, in the order they are added, by `--hashlimit-name` and address family, and compares each rule\'s settings with those of the first rule naming the same table, where that rule is certainly in place when this one is added (a script adds it whenever it adds this one, and does not take it away). The settings compared are the ones the table keeps: the rate (`--hashlimit-upto` or `--hashlimit-above` alike; `300/minute` is `5/second`), the burst, the mode, the source and destination masks and the table\'s size, maximum, expiry and garbage collection interval, each with iptables\' default where it is not written (a default written out is the same setting). A rule that differs gets a warning naming what is ignored and what the table runs with; a rule with `--hashlimit-rate-match` beside one without, on one table, is an error: iptables refuses it. The fix gives the rule a table of its own. IPv4 and IPv6 rules have separate tables; the filter, mangle and raw tables share them.',
    rationale: 'The kernel keeps one hash table per name and family, created by the first rule that names it with that rule\'s settings; a later rule naming it uses the table as it is, and its own rate and burst are never read. Measured with iptables 1.8.9 in a network namespace: a rule asking for `--hashlimit-upto 1000/s --hashlimit-burst 1000` on a table a `1/min` rule created let 1 of 20 packets through, the same rule on a table of its own all 20, and `iptables -S` lists the rule with the rate it was written with. The same holds across a reload: iptables-restore of a file with a new rate for a table that rules on the host hold keeps the old rate, as the old rules are still there when the new ones are checked; changing the name (or removing the rules first) applies it. Mixing `--hashlimit-rate-match` and plain limits on one name is refused: "RULE_APPEND failed (Invalid argument)".',
    bad: { dialect: 'save', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m hashlimit --hashlimit-above 1000/sec --hashlimit-mode srcip --hashlimit-name icmp -j DROP\n-A INPUT -p udp -m hashlimit --hashlimit-above 125/sec --hashlimit-mode srcip --hashlimit-name icmp -j DROP\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m hashlimit --hashlimit-above 1000/sec --hashlimit-mode srcip --hashlimit-name icmp -j DROP\n-A INPUT -p udp -m hashlimit --hashlimit-above 125/sec --hashlimit-mode srcip --hashlimit-name udp -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // the rules with a hashlimit match, gathered in the analysis' walk over the commands and
    // kept across edits that leave them be
    const uses = tableUses(chainFacts(rs).sharedByName);
    if (uses.length < 2) return;
    const first = new Map<string, TableUse>();
    const taken = new Map<Family, Set<string>>();
    for (const u of uses) {
      let names = taken.get(u.family);
      if (!names) taken.set(u.family, (names = new Set()));
      names.add(u.name);
    }
    for (const u of uses) {
      const key = `${u.family} ${u.name}`;
      const made = first.get(key);
      if (!made) {
        first.set(key, u);
        continue;
      }
      if (made.rule === u.rule || !presentWhenAdded(rs, made.rule, u.rule)) continue;
      const other = freeName(u.name, taken.get(u.family)!);
      const fixes: Fix[] = [{ title: `Give this rule a table of its own (${other})`, edits: [{ span: u.nameOption.values[0].span, text: other }] }];
      const related = [{ span: made.rule.span, message: `creates the hashlimit table ${u.name}` }];
      if (made.rateMatch !== u.rateMatch) {
        ctx.report({
          span: u.nameOption.item.span,
          severity: 'error',
          message: `iptables refuses this rule (Invalid argument): the hashlimit table ${u.name} is created by a rule ${made.rateMatch ? 'with' : 'without'} --hashlimit-rate-match, and this one is ${u.rateMatch ? 'with' : 'without'} it. A table either measures rates or limits them: give this rule a table of its own.`,
          related,
          fixes,
        });
        continue;
      }
      if (!made.settings || !u.settings) continue;
      const mine: string[] = [];
      const theirs: string[] = [];
      for (let i = 0; i < u.settings.length; i++) {
        const a = made.settings[i];
        const b = u.settings[i];
        if (a && a.key !== b.key) {
          mine.push(b.shown);
          theirs.push(a.shown);
        }
      }
      if (!mine.length) continue;
      ctx.report({
        span: u.nameOption.item.span,
        message: `The hashlimit table ${u.name} is created by an earlier rule with other settings, and rules naming it share it as it was made: this rule's ${mine.join(', ')} ${mine.length > 1 ? 'are' : 'is'} ignored, and it runs with ${theirs.join(', ')}. Give it a table of its own, or the same settings.`,
        related,
        fixes,
      });
    }
  },
};

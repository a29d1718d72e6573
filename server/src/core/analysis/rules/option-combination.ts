import type { ExtensionSpec } from '../../knowledge/types.ts';
import { durationMicros, ewmaFits, hashlimitRate, storedRate } from '../../knowledge/values/rates.ts';
import { hashlimitRefusedAt, limitRefusedAt, TICK_RATES } from '../../knowledge/values/credits.ts';
import { secondsOfDay } from '../../knowledge/values/time.ts';
import { COMMAND_WORDS } from '../../knowledge/index.ts';
import type { BindProblem, BoundOption } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import type { LintRule, RuleContext } from '../types.ts';

const NONE: readonly (readonly string[])[] = [];

interface Use {
  spec: ExtensionSpec;
  span: Span;
  options: BoundOption[];
}

/** The policy match describes several policy elements separated by --next: its options repeat. */
const hasElements = new WeakMap<ExtensionSpec, boolean>();
function elementsOf(spec: ExtensionSpec): boolean {
  let v = hasElements.get(spec);
  if (v === undefined) hasElements.set(spec, (v = spec.options.some((o) => o.name === '--next')));
  return v;
}

export const optionCombination: LintRule = {
  code: 'option-combination',
  severity: 'error',
  summary: 'An extension without an option it needs (`-j DNAT` without `--to-destination`), an option without the one it goes with (`--every` without `--packet`), options that exclude each other, a once-only option given twice, or an option the command does not take (`-F INPUT -p tcp`, `-A INPUT -n`).',
  docs: {
    description: 'Each match and target checks its own options when the rule is added: some need an option (`-m conntrack` alone, `-j MARK` without an operation, `-j DNAT` without `--to-destination`), some options need another (`--reap` needs `--seconds`, statistic\'s `--every` needs `--packet`, `--next` of the policy match needs `--strict`), some options exclude each other (`--hl-set` with `--hl-inc`, `--connlimit-saddr` with `--connlimit-daddr`, recent\'s `--seconds` and `--hitcount` with `--set` or `--remove`, which the kernel refuses and `iptables-restore --test` does not), a few must come after another (owner\'s `--suppl-groups` after `--gid-owner`, rt\'s type 0 options after `--rt-type 0`) or stay within another\'s value (statistic\'s `--packet` below `--every`, cluster\'s node or node mask within `--cluster-total-nodes`), time\'s `--contiguous` needs a span that crosses midnight (`--timestop` before `--timestart`), RATEEST\'s time constant must be one it can average over its sampling interval (`--rateest-ewmalog` more than about 1.44 times `--rateest-interval`), a limit or hashlimit must not have a burst whose credits overflow the kernel\'s counter (`--hashlimit-upto 1/day --hashlimit-burst 2` everywhere; `-m limit --limit 1/day` with its default burst on iptables-legacy, a warning; a warning too where it depends on the tick rate the kernel was built with), `--strict` of the policy match needs a test of the element it describes, and most options may be given only once. iptables itself takes each of its rule parameters (`-p`, `-s`, `-d`, `-i`, `-o`, `-f`, `-c`, and one target: `-j` or `-g`) once per rule, and takes its rule options (`-s`, `-p`, `-j`…) only with the commands that add, replace, delete or check a rule (not with `-D` and a rule number), its listing options (`-n`, `-x`, `--line-numbers`) only with `-L` (also combined with `-Z`), and `-c` only with `-A`, `-I`, `-R` and `-P`. This rule applies the same checks; a quick fix removes an option the command does not take.',
    rationale: 'iptables refuses such a rule ("option must be specified", "cannot be used together", "can only be used once", "Illegal option with this command"); in a restore file nothing is loaded.',
    bad: { dialect: 'save', text: '*mangle\n-A PREROUTING -j MARK\n-A POSTROUTING -j TTL --ttl-set 64 --ttl-inc 1\nCOMMIT\n' },
    good: { dialect: 'save', text: '*mangle\n-A PREROUTING -j MARK --set-mark 1\n-A POSTROUTING -j TTL --ttl-set 64\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const problems = cmd.problems;
    for (let i = 0; i < problems.length; i++) {
      const p = problems[i];
      if (p.kind === 'not-with-command') reportMisplaced(p, ctx);
      else if (p.kind === 'repeated-parameter') {
        ctx.report({ span: p.span, message: p.written === '-g' || p.written === '--goto' || p.written === '-j' || p.written === '--jump' ? `A rule has one target: ${p.written} follows another -j or -g, and iptables refuses the command.` : `${p.written} can be given only once per rule: iptables refuses the command.` });
      }
    }
    const rule = cmd.rule;
    if (!rule || rule.dynamic || cmd.kind === 'delete' || cmd.kind === 'check') return;
    const matches = rule.matches;
    for (let i = 0; i < matches.length; i++) if (matches[i].spec) checkUse(matches[i] as Use, ctx.report);
    if (rule.target?.spec) checkUse(rule.target as Use, ctx.report);
  },
};

function reportMisplaced(p: Extract<BindProblem, { kind: 'not-with-command' }>, ctx: RuleContext): void {
  const item = p.option;
  // the option with its values and the blank before it; a letter of a cluster (`-nA`) has no fix
  const whole = item.written === p.written;
  const start = whole && ctx.read(item.span.start - 1, item.span.start) === ' ' ? item.span.start - 1 : item.span.start;
  ctx.report({
    span: p.span,
    message: `${p.written} does not go with ${COMMAND_WORDS[p.command]}: iptables refuses the command.`,
    fixes: whole ? [{ title: `Remove ${p.written}`, edits: [{ span: { start, end: item.span.end }, text: '' }] }] : undefined,
  });
}

/** Some option of the use has this name. */
function given(options: readonly BoundOption[], name: string): boolean {
  for (let i = 0; i < options.length; i++) if (options[i].name === name) return true;
  return false;
}

// Runs for every match and target of 100k rules: no closures or arrays unless something is wrong.
function checkUse(use: Use, report: RuleContext['report']): void {
  const { spec, options } = use;
  if (spec.needsOneOf) {
    for (const group of spec.needsOneOf) {
      let found = false;
      for (let i = 0; i < group.length && !found; i++) found = given(options, group[i]);
      if (!found) report({ span: use.span, message: group.length === 1 ? `${spec.name} needs ${group[0]}.` : `${spec.name} needs one of ${group.join(', ')}.` });
    }
  }
  // an option that needs another of the same extension (`--every` needs `--packet`)
  for (let i = 0; i < options.length; i++) {
    const needs = options[i].spec?.requires;
    if (!needs) continue;
    let found = false;
    for (let j = 0; j < needs.length && !found; j++) found = given(options, needs[j]);
    if (!found) report({ span: options[i].item.nameSpan, message: `${options[i].name} needs ${needs.length === 1 ? needs[0] : `one of ${needs.join(', ')}`} in ${spec.name}.` });
  }
  for (let i = 0; i < options.length; i++) {
    const o = options[i].spec;
    if (o?.needsByValue) checkNeedsByValue(options, i, o.needsByValue, spec, report);
    if (o?.after) checkOrder(options, i, o.after, o.afterValue, spec, report);
    if (o?.below) checkBelow(options, i, o.below, spec, report);
    if (o?.atMost) checkAtMost(options, i, o.atMost, spec, report);
    if (o?.maskOf) checkMask(options, i, o.maskOf, spec, report);
    if (o?.acrossMidnight) checkAcrossMidnight(options, i, o.acrossMidnight, spec, report);
    if (o?.averagesOver) checkAverage(options, i, o.averagesOver, spec, report);
  }
  if (spec.credits) checkCredits(use, spec.credits, report);
  const exclusive = spec.exclusive ?? NONE;
  for (let g = 0; g < exclusive.length; g++) {
    const group = exclusive[g];
    const present = group.filter((n) => given(options, n));
    if (present.length > 1) {
      const second = options.find((o) => o.name === present[1])!;
      report({ span: second.item.nameSpan, message: `${present[1]} cannot be combined with ${present[0]} in ${spec.name}.` });
    }
  }
  if (options.length < 2 || elementsOf(spec)) return;
  // an option given twice, reported at its second occurrence (rules carry a handful of options)
  for (let i = 0; i < options.length; i++) {
    const first = options[i];
    let seenBefore = false;
    for (let j = 0; j < i && !seenBefore; j++) seenBefore = options[j].name === first.name;
    if (seenBefore || first.spec?.repeatable) continue;
    for (let k = i + 1; k < options.length; k++) {
      if (options[k].name !== first.name) continue;
      report({ span: options[k].item.nameSpan, message: `${first.name} can be given only once per ${spec.kind}.` });
      break;
    }
  }
}

/**
 * An option given before the one it must follow (see OptionSpec.after), or after it with another
 * value than the one it needs (`afterValue`): iptables reads them in order and refuses it where it stands.
 */
function checkOrder(options: readonly BoundOption[], i: number, after: string, value: string | undefined, spec: ExtensionSpec, report: RuleContext['report']): void {
  const needed = value === undefined ? after : `${after} ${value}`;
  for (let j = 0; j < i; j++) {
    const o = options[j];
    if (o.name !== after) continue;
    const w = o.values[0];
    if (value === undefined || w?.dynamic || (!o.negated && w && Number(w.value) === Number(value))) return;
    report({ span: options[i].item.nameSpan, message: `${options[i].name} needs ${needed} before it in ${spec.name}${o.negated ? ', not negated' : ''}: iptables refuses it after ${o.negated ? '! ' : ''}${after} ${w?.value ?? ''}.` });
    return;
  }
  let later = false;
  for (let j = i + 1; j < options.length && !later; j++) later = options[j].name === after;
  if (later) report({ span: options[i].item.nameSpan, message: `${options[i].name} must come after ${needed} in ${spec.name}: iptables reads them in order and refuses it first.` });
}

/** A value that needs options of which none is given (see OptionSpec.needsByValue). */
function checkNeedsByValue(options: readonly BoundOption[], i: number, byValue: Readonly<Record<string, readonly string[]>>, spec: ExtensionSpec, report: RuleContext['report']): void {
  const w = options[i].values[0];
  if (!w || w.dynamic || !Object.hasOwn(byValue, w.value)) return;
  const needs = byValue[w.value];
  for (let j = 0; j < needs.length; j++) if (given(options, needs[j])) return;
  report({ span: w.span, message: `${options[i].name} ${w.value} needs ${needs.join(' and ')} in ${spec.name}: iptables refuses it without.` });
}

/** Both values as plain numbers, decimal or hexadecimal (iptables-save writes cluster's mask as 0x00000003). */
function plainNumbers(a: BoundOption | undefined, b: BoundOption | undefined): [number, number] | undefined {
  const x = a?.values[0];
  const y = b?.values[0];
  // iptables reads them with strtoul: `+5` is 5
  const plain = /^\+?(\d+|0x[\da-f]+)$/i;
  if (!x || !y || x.dynamic || y.dynamic || !plain.test(x.value) || !plain.test(y.value)) return undefined;
  return [Number(x.value.replace('+', '')), Number(y.value.replace('+', ''))];
}

/** An integer above the option's bound (see OptionSpec.atMost). */
function checkAtMost(options: readonly BoundOption[], i: number, bound: string, spec: ExtensionSpec, report: RuleContext['report']): void {
  const limit = options.find((o) => o.name === bound);
  const both = plainNumbers(options[i], limit);
  if (!both || both[0] <= both[1]) return;
  report({ span: options[i].values[0].span, message: `${options[i].name} ${options[i].values[0].value} is past ${bound} ${limit!.values[0].value} in ${spec.name}: iptables refuses it (it counts from 1 to ${both[1]}).` });
}

/** A mask with a bit past the count another option gives (see OptionSpec.maskOf). */
function checkMask(options: readonly BoundOption[], i: number, count: string, spec: ExtensionSpec, report: RuleContext['report']): void {
  const total = options.find((o) => o.name === count);
  const both = plainNumbers(options[i], total);
  if (!both || both[1] > 31 || both[0] < 2 ** both[1]) return;
  report({ span: options[i].values[0].span, message: `${options[i].name} ${options[i].values[0].value} has a bit past ${count} ${total!.values[0].value} in ${spec.name}: iptables refuses it (bit 0 is the first of them, so the mask stays below ${2 ** both[1]}).` });
}

/** A flag for a span past midnight where the span does not cross it (see OptionSpec.acrossMidnight). */
function checkAcrossMidnight(options: readonly BoundOption[], i: number, [from, to]: readonly [string, string], spec: ExtensionSpec, report: RuleContext['report']): void {
  const at = (name: string): string | undefined => {
    const o = options.find((x) => x.name === name);
    if (o) return o.values[0]?.dynamic ? undefined : o.values[0]?.value;
    return spec.options.find((x) => x.name === name)?.default;
  };
  const start = at(from);
  const stop = at(to);
  const a = start === undefined ? undefined : secondsOfDay(start);
  const b = stop === undefined ? undefined : secondsOfDay(stop);
  if (a === undefined || b === undefined || b <= a) return;
  report({ span: options[i].item.nameSpan, message: `${options[i].name} is for a span past midnight, and ${from} ${start} to ${to} ${stop} is not one: iptables refuses it. Leave it out, or make the stop earlier than the start.` });
}

/**
 * A rate and burst whose credits overflow the kernel's counter (see values/credits.ts):
 * refused when the rule is added, an error where every kernel refuses it, a warning where
 * only kernels of some tick rates do, or only iptables-legacy's kernel does (limit: nf_tables
 * has a limit of its own). Reported at the burst, or at the rate where the burst is the default.
 */
function checkCredits(use: Use, credits: NonNullable<ExtensionSpec['credits']>, report: RuleContext['report']): void {
  const { options, spec } = use;
  if (credits.notWith && given(options, credits.notWith)) return;
  const rateOption = options.find((o) => credits.rates.includes(o.name));
  const burstOption = options.find((o) => o.name === credits.burst);
  const rateWord = rateOption?.values[0];
  const burstWord = burstOption?.values[0];
  if ((rateOption && !rateWord) || (burstOption && !burstWord) || rateWord?.dynamic || burstWord?.dynamic) return;
  // an option left out is at its default (limit's 3/hour, a burst of 5)
  const defaultOf = (name: string) => spec.options.find((o) => o.name === name)?.default;
  const rate = rateWord?.value ?? credits.rates.map(defaultOf).find((d) => d !== undefined);
  const burstText = burstWord?.value ?? defaultOf(credits.burst);
  if (rate === undefined || burstText === undefined || !/^\d+$/.test(burstText)) return;
  const burst = Number(burstText);
  const hashlimit = credits.bucket === 'hashlimit';
  const avg = hashlimit ? hashlimitRate(rate) : storedRate(rate);
  // a byte rate is checked otherwise by the kernel; an unreadable one is invalid-value's
  const between = typeof avg === 'object' ? (avg.bytes ? undefined : avg.amount) : avg;
  if (between === undefined || burst < 1) return;
  const refusedAt = hashlimit ? hashlimitRefusedAt(between, burst) : limitRefusedAt(between, burst);
  if (!refusedAt.length) return;
  const every = refusedAt.length === TICK_RATES.length;
  const accepted = acceptedBurstBelow(between, burst, hashlimit);
  const kernel = credits.legacyOnly ? 'iptables-legacy\'s kernel' : 'the kernel';
  const when = every ? '' : ` if built with HZ=${refusedAt.join(' or ')}`;
  const others = every ? '' : ` A kernel built with HZ=${TICK_RATES.filter((hz) => !refusedAt.includes(hz)).join(' or ')} (CONFIG_HZ) takes it.`;
  const nft = credits.legacyOnly ? ' iptables-nft loads it, with a limit of nf_tables\' own.' : '';
  const fix = accepted === undefined ? 'Lower the burst or use a faster rate.' : `A burst of ${accepted} loads on every kernel, or use a faster rate.`;
  const written = burstWord ? `a burst of ${burst}` : `the default burst of ${burst}`;
  report({
    span: burstWord?.span ?? rateWord?.span ?? use.span,
    severity: every && !credits.legacyOnly ? undefined : 'warning',
    message: `${spec.name} ${rateWord ? rate : `${rate} (the default rate)`} with ${written}: ${kernel} refuses the rule (Numerical result out of range)${when}: the burst's credits overflow its ${hashlimit ? 64 : 32}-bit counter.${others}${nft} ${fix}`,
  });
}

/** The largest burst below `burst`, and at most 10,000 below it, that no kernel refuses with this average, if any. */
function acceptedBurstBelow(avg: number, burst: number, hashlimit: boolean): number | undefined {
  for (let b = burst - 1; b >= 1 && b >= burst - 10000; b--) if (!(hashlimit ? hashlimitRefusedAt(avg, b) : limitRefusedAt(avg, b)).length) return b;
  return undefined;
}

/** A time constant the extension cannot average over with the sampling interval given (see OptionSpec.averagesOver). */
function checkAverage(options: readonly BoundOption[], i: number, over: string, spec: ExtensionSpec, report: RuleContext['report']): void {
  const value = options[i].values[0];
  const interval = options.find((o) => o.name === over)?.values[0];
  if (!value || !interval || value.dynamic || interval.dynamic) return;
  const ewma = durationMicros(value.value);
  const every = durationMicros(interval.value);
  if (ewma === undefined || every === undefined || every > 8e6 || ewmaFits(every, ewma)) return;
  report({ span: value.span, message: `${spec.name} cannot average over ${value.value} sampling every ${interval.value}: iptables refuses it ("ewmalog value is out of range"). Make ${options[i].name} more than about 1.44 times ${over} and less than 2^30 times it.` });
}

/** An integer at or above the option's bound (see OptionSpec.below), both written as plain numbers. */
function checkBelow(options: readonly BoundOption[], i: number, below: string, spec: ExtensionSpec, report: RuleContext['report']): void {
  const bound = options.find((o) => o.name === below);
  const value = options[i].values[0];
  const limit = bound?.values[0];
  if (!value || !limit || value.dynamic || limit.dynamic || !/^\d+$/.test(value.value) || !/^\d+$/.test(limit.value)) return;
  const n = Number(value.value);
  const most = Number(limit.value) - 1;
  if (n > most) report({ span: value.span, message: `${options[i].name} ${value.value} is past ${below} ${limit.value} in ${spec.name}: it counts from 0 to ${most}.` });
}

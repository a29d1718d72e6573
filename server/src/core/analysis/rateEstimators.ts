import { rateestParams } from '../knowledge/values/rates.ts';
import type { BoundOption, Command, Rule } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';
import { plainValue } from './plainValue.ts';

/**
 * The kernel keeps rate estimators by the first 15 characters of their name (measured with
 * iptables 1.8.9: two names that differ only after those are one estimator), for both address
 * families and every table alike.
 */
export const ESTIMATOR_NAME_LENGTH = 15;

export const estimatorName = (value: string) => value.slice(0, ESTIMATOR_NAME_LENGTH);

/** The rateest match's options that name the estimators it reads. */
export const ESTIMATOR_READ_OPTIONS: ReadonlySet<string> = new Set(['--rateest', '--rateest1', '--rateest2']);

/** A RATEEST target: the estimator it makes (or counts into, when one of its name exists). */
export interface EstimatorMade {
  rule: Rule;
  /** Where it stands among the commands with names the kernel shares (see ChainFacts.sharedByName). */
  at: number;
  name: string;
  nameOption: BoundOption;
  interval?: BoundOption;
  ewma?: BoundOption;
  /** Undefined when the interval or ewmalog is an expansion or a value iptables refuses. */
  params?: { interval: number; ewmaLog: number };
}

/** A rateest match's estimator name: `--rateest`, `--rateest1` or `--rateest2`. */
export interface EstimatorRead {
  rule: Rule;
  at: number;
  name: string;
  word: Word;
}

/** The RATEEST targets and rateest matches of the rules the commands add, in order. */
export function estimatorUses(commands: readonly Command[]): { made: EstimatorMade[]; read: EstimatorRead[] } {
  const made: EstimatorMade[] = [];
  const read: EstimatorRead[] = [];
  for (let at = 0; at < commands.length; at++) {
    const cmd = commands[at];
    const rule = cmd.rule;
    if (!rule || cmd.kind === 'delete' || cmd.kind === 'check') continue;
    const t = rule.target;
    if (t?.name === 'RATEEST') {
      const nameOption = t.options.find((o) => o.name === '--rateest-name');
      const word = plainValue(nameOption);
      if (nameOption && word) {
        const interval = t.options.find((o) => o.name === '--rateest-interval');
        const ewma = t.options.find((o) => o.name === '--rateest-ewmalog');
        const i = plainValue(interval)?.value;
        const e = plainValue(ewma)?.value;
        made.push({ rule, at, name: estimatorName(word.value), nameOption, interval, ewma, params: i === undefined || e === undefined ? undefined : rateestParams(i, e) });
      }
    }
    for (const m of rule.matches) {
      if (m.name !== 'rateest') continue;
      for (const o of m.options) {
        if (!ESTIMATOR_READ_OPTIONS.has(o.name)) continue;
        const word = plainValue(o);
        if (word) read.push({ rule, at, name: estimatorName(word.value), word });
      }
    }
  }
  return { made, read };
}

/** Whether the kernel takes `b` as the estimator `a` made: the same interval and weight (unknown values count as the same). */
export function sameTiming(a: EstimatorMade, b: EstimatorMade): boolean {
  return !a.params || !b.params || (a.params.interval === b.params.interval && a.params.ewmaLog === b.params.ewmaLog);
}

/** `--rateest-interval X --rateest-ewmalog Y` as the rule writes them. */
export function timingWritten(u: EstimatorMade): string {
  return `--rateest-interval ${u.interval?.values[0]?.value ?? '?'} --rateest-ewmalog ${u.ewma?.values[0]?.value ?? '?'}`;
}

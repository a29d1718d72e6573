import type { BoundOption, Command, Rule } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';
import { plainValue } from './plainValue.ts';

/**
 * The kernel keeps IDLETIMER timers by the first 27 characters of their label (iptables cuts a
 * longer label there; measured with iptables 1.8.9), in one list for the whole machine: every
 * table, both address families and every network namespace share it.
 */
export const TIMER_LABEL_LENGTH = 27;

export const timerLabel = (value: string) => value.slice(0, TIMER_LABEL_LENGTH);

/** An IDLETIMER target: the timer it makes, or restarts when one of its label exists. */
export interface TimerUse {
  rule: Rule;
  label: string;
  labelOption: BoundOption;
  word: Word;
  /** Its `--alarm`: the timer is an alarm timer, which also fires while the system sleeps. */
  alarm?: BoundOption;
}

/** The IDLETIMER targets of the rules the commands add, in order (labels the shell expands left out). */
export function timerUses(commands: readonly Command[]): TimerUse[] {
  const out: TimerUse[] = [];
  for (const cmd of commands) {
    const t = cmd.rule?.target;
    if (t?.name !== 'IDLETIMER' || cmd.kind === 'delete' || cmd.kind === 'check') continue;
    const labelOption = t.options.find((o) => o.name === '--label');
    const word = plainValue(labelOption);
    if (!labelOption || !word) continue;
    out.push({ rule: cmd.rule!, label: timerLabel(word.value), labelOption, word, alarm: t.options.find((o) => o.name === '--alarm') });
  }
  return out;
}

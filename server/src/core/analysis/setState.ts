import type { IpsetStep } from '../model/ipsetSteps.ts';
import type { Command, RuleSet } from '../model/types.ts';

/** Where a set stands at one point of the script: made by it, gone, the host's as far as the script knows, or not known. */
export type SetState = { kind: 'created'; by: IpsetStep } | { kind: 'destroyed'; by: IpsetStep } | { kind: 'host' } | { kind: 'unknown' };

/** Whether a step under guard `outer` has surely run when a command under guard `inner` runs: `outer` is `inner` or encloses it. */
function encloses(guards: readonly number[] | undefined, outer: number, inner: number): boolean {
  for (let g = inner; ; g = guards?.[g] ?? 0) {
    if (g === outer) return true;
    if (g === 0) return false;
  }
}

/** The set `name` after the first `upto` ipset steps (those that ran before), for a command under `guard`. */
export function stateAt(rs: RuleSet, steps: readonly IpsetStep[], upto: number, name: string, guard: number): SetState {
  let state: SetState = { kind: 'host' };
  for (let i = 0; i < upto; i++) {
    const s = steps[i];
    if (s.kind === 'unknown') state = { kind: 'unknown' };
    else if (s.kind === 'create' && s.name === name) state = { kind: 'created', by: s };
    // renamed from a set whose family is not followed
    else if (s.kind === 'rename' && s.to === name) state = { kind: 'unknown' };
    else if ((s.kind === 'destroy' && (s.name === undefined || s.name === name)) || (s.kind === 'rename' && s.name === name)) {
      // a destroy in a branch the command is not in may not have run
      state = encloses(rs.guards, s.guard, guard) ? { kind: 'destroyed', by: s } : { kind: 'unknown' };
    }
  }
  return state;
}

/**
 * Each command of a script that adds, inserts, replaces, deletes or checks a rule (a failing
 * clean-up left out), in the order the script runs them (a here-document's rules at its
 * step), with how many of the ipset steps ran before it.
 */
export function eachRuleAfterSets(rs: RuleSet, sets: readonly IpsetStep[], each: (cmd: Command, upto: number) => void): void {
  const steps = rs.steps ?? [];
  let upto = 0;
  for (let i = 0; i < steps.length; i++) {
    // the ipset steps are in the order they run, and so are their places among the steps
    while (upto < sets.length && sets[upto].order <= i) upto++;
    const s = steps[i];
    if ('ruleSet' in s) {
      for (const c of s.ruleSet.commands) each(c, upto);
    } else if (!((s.kind === 'delete' || s.kind === 'check') && s.failureHandled)) each(s, upto);
  }
}

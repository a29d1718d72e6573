import type { ShellCommand } from '../syntax/shellParser.ts';

/**
 * Whether the script goes on knowing the command may fail: it is the test of an `if`,
 * `while` or `until`, or negated (`if ! iptables -C …`, `while iptables -D …`), its error output goes to
 * /dev/null (`2>/dev/null`, `&>/dev/null`, `>/dev/null 2>&1`), or a `||` follows it with
 * anything but `exit` or `return` (`|| true`, `|| :`, `|| echo …`). The idiom of a script
 * that deletes a rule before adding it, so that a second run does not add it twice.
 */
export function failureHandled(cmd: ShellCommand, next: ShellCommand | undefined): boolean {
  if (cmd.tested) return true;
  if (next?.after === '||') {
    const first = next.words[0]?.value;
    if (first !== 'exit' && first !== 'return') return true;
  }
  // where standard output and standard error end up, redirection by redirection
  let out = 'stdout';
  let err = 'stderr';
  for (const r of cmd.redirects) {
    const to = r.target?.value;
    if (to === undefined) continue;
    if (r.op === '&>' || r.op === '&>>') {
      out = err = to;
      continue;
    }
    if (!r.op.includes('>')) continue;
    const digits = /^\d*/.exec(r.op)![0];
    const fd = digits === '' ? 1 : Number(digits);
    // `2>&1`: a copy of where the other one goes now
    const dest = r.op.endsWith('>&') ? (to === '1' ? out : to === '2' ? err : to) : to;
    if (fd === 1) out = dest;
    else if (fd === 2) err = dest;
  }
  return err === '/dev/null';
}

/**
 * Whether a failure of the command ends a script under `set -e`: it is not the test of an
 * `if`, `while` or `until` nor negated, and no `||`, `&&` or `|` follows it (the shell ignores
 * the failure of those). Redirections do not count: `2>/dev/null` hides the message only.
 */
export function errexitStops(cmd: ShellCommand, next: ShellCommand | undefined): boolean {
  if (cmd.tested) return false;
  return !(next && (next.after === '||' || next.after === '&&' || next.after === '|'));
}

/**
 * The `set` options a command turns errexit on or off with: `set -e`, `set -eu`, `set -euo
 * pipefail`, `set -o errexit` on; `set +e`, `set +o errexit` off; undefined for any other.
 */
export function errexitSetting(cmd: ShellCommand): boolean | undefined {
  const w = cmd.words.map((x) => x.value);
  if (w[0] !== 'set') return undefined;
  let on: boolean | undefined;
  for (let i = 1; i < w.length; i++) {
    const a = w[i];
    if ((a === '-o' || a === '+o') && w[i + 1] === 'errexit') on = a === '-o';
    else if (/^[-+][a-zA-Z]*e[a-zA-Z]*$/.test(a) && a !== '-o' && a !== '+o') on = a.startsWith('-');
  }
  return on;
}

/** `#!/bin/sh -e`, `#!/usr/bin/env -S bash -e`: the script starts with errexit on. */
export function shebangErrexit(text: string): boolean {
  const first = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')) : '';
  return /\s-[a-zA-Z]*e[a-zA-Z]*(\s|$)/.test(first);
}

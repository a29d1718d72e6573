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

/**
 * Shell conditions a script's commands run under (see ShellScript.guards): guard 0 is the top
 * of the script, and `guards[g]` the guard that guard g sits in.
 */

/** Whatever runs under guard `h` runs only when guard `g` holds too: g is h or a guard around it. */
export function within(guards: readonly number[] | undefined, g: number, h: number): boolean {
  if (g === 0 || g === h) return true;
  if (!guards) return false;
  for (let x = h; x !== 0; x = guards[x] ?? 0) if (x === g) return true;
  return false;
}

import type { Command } from './types.ts';

/**
 * A shell expansion the shell may split into options, written before offset `at` in a command
 * (`P="-p tcp"; iptables -A INPUT $P --dport 22`): unquoted, and a word no option takes as its
 * own first value (`-s $NET` is an address). It may stand for the `-p tcp`, `-m …` or `-j …` an
 * option after it needs; the model does not split a variable's value into words.
 */
export function expansionBefore(cmd: Command, at: number): boolean {
  const args = cmd.args;
  for (const w of args.strays) if (w.dynamic && !w.quoted && w.span.start < at) return true;
  for (const item of args.items) {
    for (let i = 1; i < item.values.length; i++) {
      const w = item.values[i];
      if (w.dynamic && !w.quoted && w.span.start < at) return true;
    }
  }
  return false;
}

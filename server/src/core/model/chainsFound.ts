import type { ShellScript, ShellCommand } from '../syntax/shellParser.ts';
import type { Command } from './types.ts';

/**
 * The user chains a command's success shows to be there afterwards: the chain it lists,
 * flushes, zeroes or adds to (`iptables -S X`, `-F X`, `-C X …`), the chain its rule jumps to,
 * the chain `-N` made and the new name of a rename. iptables fails each of them when the chain
 * is missing.
 */
export function chainsShownBy(cmd: Command): string[] {
  if (cmd.uncertain || cmd.tableDynamic) return [];
  const out: string[] = [];
  const w = cmd.kind === 'rename-chain' ? cmd.newName : cmd.kind === 'delete-chain' || cmd.kind === 'policy' ? undefined : cmd.chainWord;
  if (w && !w.dynamic) out.push(w.value);
  const t = cmd.rule?.target;
  if (t && !t.spec && t.name.length > 0 && !cmd.rule!.dynamic) out.push(t.name);
  return out;
}

/**
 * The user chains of its table a script's command finds, because it runs only after an
 * iptables command that needed them succeeded: `iptables -S X >/dev/null 2>&1 && iptables -F X`,
 * `if iptables -L X -n >/dev/null; then iptables -X X; fi`. Undefined when there are none.
 * `made`: the commands made so far, by the shell command each came from.
 */
export function chainsFoundUnder(script: ShellScript, sc: ShellCommand, cmd: Command, made: ReadonlyMap<ShellCommand, Command>): string[] | undefined {
  let names: string[] | undefined;
  // guards only ever sit in guards made before them: the walk ends at the top (0)
  for (let g = sc.guard; g !== 0; g = script.guards[g] ?? 0) {
    const at = script.afterSuccess.get(g);
    const before = at === undefined ? undefined : made.get(script.commands[at]);
    if (!before || before === cmd || before.family !== cmd.family || before.table !== cmd.table) continue;
    for (const name of chainsShownBy(before)) (names ??= []).push(name);
  }
  return names;
}

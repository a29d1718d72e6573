import type { ScriptExtras } from '../model/scriptDocument.ts';
import { commandIndexAt } from '../services/commandAt.ts';
import type { Command, RuleSet } from '../model/types.ts';

/**
 * Where and how a quick fix writes a new command beside one of a script's: the same
 * indentation, the same words before iptables' own arguments (`sudo /sbin/iptables`, `$IPT`),
 * so the new line runs the way the old one does.
 */

/** The white space the line of the command starts with. */
export function commandIndent(text: string, cmd: Command): string {
  const lineStart = text.lastIndexOf('\n', cmd.span.start - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, cmd.span.start))![0];
}

/** The words that run iptables (`sudo iptables`, `$IPT`), line continuations joined; undefined when there are none. */
export function commandTool(text: string, cmd: Command): string | undefined {
  const tool = text.slice(cmd.span.start, cmd.args.span.start).replace(/\\\r?\n[ \t]*/g, ' ').trim();
  return tool || undefined;
}

/** `sudo ` when the words that run iptables start with it (`sudo /sbin/iptables`), so another tool a fix writes runs the same way; else nothing. */
export function sudoPrefix(tool: string): string {
  return /^sudo\s/.test(tool) ? 'sudo ' : '';
}

/** The words that run ip6tables where `tool` runs iptables (`sudo /sbin/iptables`); `$IPT` gives plain ip6tables. */
export function ip6Tool(tool: string): string {
  if (/iptables(-legacy|-nft)?$/.test(tool)) return tool.replace(/iptables(?=(-legacy|-nft)?$)/, 'ip6tables');
  return `${sudoPrefix(tool)}ip6tables`;
}

/** The offset where the line after the command (or any span) starts, and whether a newline must come first (it ends the text). */
export function lineAfter(text: string, cmd: Pick<Command, 'span'>): { at: number; newline: boolean } {
  const end = text.indexOf('\n', cmd.span.end);
  return end === -1 ? { at: text.length, newline: true } : { at: end + 1, newline: false };
}

/** The offset where the command's line starts. */
export function lineStartOf(text: string, cmd: Command): number {
  return text.lastIndexOf('\n', cmd.span.start - 1) + 1;
}

/**
 * Whether a script's command runs at the top of the script as written: under no condition,
 * loop or function body. Removing such a line cannot leave an empty `then … fi` or `{ }`,
 * which the shell refuses.
 */
export function atTopLevel(rs: RuleSet, cmd: Command): boolean {
  const shell = (rs as Partial<ScriptExtras>).shellCommands;
  if (!shell) return false;
  // the shell commands are in the order written: the last one starting at or before it holds it
  const found = commandIndexAt({ commands: shell }, cmd.span.start);
  const sc = shell[found];
  return sc !== undefined && cmd.span.start < sc.span.end && sc.guard === 0;
}

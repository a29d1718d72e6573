import type { Command, RuleSet } from '../model/types.ts';
import type { Span } from '../text/span.ts';

/** The index of the last command starting at or before `offset` (-1: none); commands (or a script's shell commands) are in text order. */
export function commandIndexAt(rs: { commands: readonly { span: Span }[] }, offset: number): number {
  const cmds = rs.commands;
  let lo = 0;
  let hi = cmds.length - 1;
  let found = -1;
  // scripts can run commands out of text order only through here-documents, which stay sorted
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (cmds[mid].span.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The command (script) or rule line (save) whose span holds `offset`. */
export function commandAt(rs: Pick<RuleSet, 'commands'>, offset: number): Command | undefined {
  const found = rs.commands[commandIndexAt(rs, offset)];
  return found && offset <= found.span.end ? found : undefined;
}

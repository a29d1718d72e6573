import type { Command, RuleSet } from '../model/types.ts';

/** The command (script) or rule line (save) whose span holds `offset`; commands are in text order. */
export function commandAt(rs: Pick<RuleSet, 'commands'>, offset: number): Command | undefined {
  const cmds = rs.commands;
  let lo = 0;
  let hi = cmds.length - 1;
  let found: Command | undefined;
  // scripts can run commands out of text order only through here-documents, which stay sorted
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = cmds[mid];
    if (c.span.start <= offset) {
      found = c;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && offset <= found.span.end ? found : undefined;
}

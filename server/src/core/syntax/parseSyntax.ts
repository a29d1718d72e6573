import type { Dialect } from '../model/types.ts';
import { parseArgTokens } from './ruleParser.ts';
import { parseSaveLine } from './saveLine.ts';
import { parseShell } from './shellParser.ts';
import { wordTokens } from './wordTokens.ts';

/**
 * The syntax stage alone (no model): every line of a save file, or a script's simple
 * commands with the argument list of each. Used to measure parsing on its own; returns
 * how many lines or commands were read and how many syntax issues they had.
 */
export function parseSyntax(text: string, dialect: Dialect): { units: number; issues: number } {
  let units = 0;
  let issues = 0;
  if (dialect === 'save') {
    let i = 0;
    while (i <= text.length) {
      let nl = text.indexOf('\n', i);
      if (nl === -1) nl = text.length;
      issues += parseSaveLine(text.slice(i, nl), i).issues.length;
      units++;
      i = nl + 1;
    }
    return { units, issues };
  }
  for (const cmd of parseShell(text).commands) {
    units++;
    if (cmd.words.length > 1) issues += parseArgTokens(wordTokens(cmd.words.slice(1)), 0).issues.length;
  }
  return { units, issues };
}

import type { Dialect } from '../model/types.ts';
import { parseArgTokens } from './ruleParser.ts';
import { parseSaveLine } from './saveLine.ts';
import { parseShell } from './shellParser.ts';
import { wordTokens } from './wordTokens.ts';
import { noteAssignment, resolveTool } from '../model/commandName.ts';

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
  // as the product reads scripts: the shell grammar for all, the rule grammar for the iptables commands
  const vars = new Map();
  for (const cmd of parseShell(text).commands) {
    units++;
    if (cmd.words.length === 1 && /^[A-Za-z_]\w*=/.test(cmd.words[0].value)) noteAssignment(vars, cmd.words[0]);
    const tool = resolveTool(cmd.words, vars);
    if (tool?.kind === 'iptables') issues += parseArgTokens(wordTokens(cmd.words.slice(tool.argStart)), 0).issues.length;
  }
  return { units, issues };
}

import type { Family } from '../knowledge/types.ts';
import type { Command, Rule, RuleSet } from '../model/types.ts';
import { chainFacts } from './chainGraph.ts';
import { ownCommandLines, removeLines } from './moveBefore.ts';
import { atTopLevel } from './scriptLine.ts';
import type { Fix, RuleContext } from './types.ts';

/** `family:table:chain`: a chain of one table of one family. */
function chainKey(family: Family, table: string, name: string): string {
  return `${family}:${table}:${name}`;
}

/** What works on each of some chains (keyed by chainKey), and the families where a command names its chain or table through a shell expansion. */
export interface ChainCommands {
  /** The lines of each chain: a save file's rule lines and `-N`, `-X`, `-E` lines, or a script's commands. */
  of: ReadonlyMap<string, readonly (Command | Rule)[]>;
  unsure: ReadonlySet<Family>;
}

/** A chain by its family, table and name: what a kept finding holds of it across edits. */
export interface ChainName {
  family: Family;
  table: string;
  name: string;
}

/**
 * What works on each of the given chains (`-N`, `-A`, `-F`, `-X`…, jumps to it not counted),
 * made when a fix first asks and kept per rule set. In a dump of appends (see
 * ChainFacts.appendsOnly) those are the chains' rules and their `-N`, `-X`, `-E` lines, read
 * without a walk of the other commands, which took 17 ms of each keystroke on a 100k-rule
 * dump; otherwise one pass over the commands for all of the chains.
 */
export function commandsOfChains(chains: readonly ChainName[]): (rs: RuleSet) => ChainCommands {
  // the names only: a chain object of the first rule set would keep its old rules alive across edits
  const names = chains.map(({ family, table, name }) => ({ family, table, name }));
  const keys = new Set(names.map((c) => chainKey(c.family, c.table, c.name)));
  const byRuleSet = new WeakMap<RuleSet, ChainCommands>();
  return (rs) => {
    let found = byRuleSet.get(rs);
    if (found) return found;
    const of = new Map<string, (Command | Rule)[]>();
    const unsure = new Set<Family>();
    const add = (family: Family, table: string, chain: string, line: Command | Rule) => {
      const key = chainKey(family, table, chain);
      if (!keys.has(key)) return;
      const list = of.get(key);
      if (list) list.push(line);
      else of.set(key, [line]);
    };
    const facts = chainFacts(rs);
    if (rs.dialect === 'save' && facts.appendsOnly) {
      for (const { family, table, name } of names) for (const r of rs.tables.get(`${family}:${table}`)?.chains.get(name)?.rules ?? []) add(family, table, name, r);
      for (const c of facts.chainCommands) if (c.chain !== undefined) add(c.family, c.table, c.chain, c);
    } else {
      for (const cmd of rs.commands) {
        if (cmd.uncertain || cmd.tableDynamic) unsure.add(cmd.family);
        if (cmd.chain !== undefined) add(cmd.family, cmd.table, cmd.chain, cmd);
      }
    }
    byRuleSet.set(rs, (found = { of, unsure }));
    return found;
  };
}

/**
 * The quick fix for a user chain nothing jumps to (unused-chain): remove every line that
 * works on it, its declaration or `-N`, its rules and, in a script, its `-F`, `-Z`, `-X`, so
 * that no command is left naming a chain that is no longer created. Offered only where each is
 * a line of its own (a save file's unindented line; a script's command alone on its lines at
 * the top of the script, run by iptables), and where no command names a chain or table
 * through a shell expansion and no `-E` renames it. Not safe: a chain can be kept for a jump
 * another program adds later (fail2ban, a second script), which this file cannot show.
 */
export function removeChainFix(ctx: RuleContext, family: Family, table: string, name: string, found: ChainCommands): Fix[] {
  const rs = ctx.ruleSet;
  // `-A $CHAIN` may name it, and would be left without its chain
  if (found.unsure.has(family)) return [];
  const commands = found.of.get(chainKey(family, table, name)) ?? [];
  const chain = rs.tables.get(`${family}:${table}`)?.chains.get(name);
  if (!chain || chain.builtin) return [];
  for (const c of chainFacts(rs).chainCommands) {
    if (c.family === family && c.table === table && c.kind === 'rename-chain' && (c.chain === name || c.newName?.value === name)) return [];
  }
  const lines: { from: number; to: number }[] = [];
  for (const line of commands) {
    if (rs.dialect === 'save') lines.push({ from: line.span.start, to: line.span.end });
    else {
      // a script's lines are its commands (see commandsOfChains)
      const cmd = line as Command;
      const own = atTopLevel(rs, cmd) ? ownCommandLines(ctx, cmd) : undefined;
      if (!own) return [];
      lines.push(own);
    }
  }
  // a save file's `:name` lines; a script's `-N` commands are among its commands, and a
  // declaration elsewhere (an iptables-restore here-document) would stay behind
  for (const d of chain.declarations) {
    if (lines.some((l) => l.from <= d.line.start && d.line.start < l.to)) continue;
    if (rs.dialect !== 'save') return [];
    lines.push({ from: d.line.start, to: d.line.end });
  }
  const edits = lines.length ? removeLines(ctx, lines) : undefined;
  if (!edits) return [];
  // the rules written to it, flushed or not: what the removed lines held
  const n = rs.dialect === 'save' ? chain.rules.length : (commands as Command[]).filter((c) => c.rule && (c.kind === 'append' || c.kind === 'insert')).length;
  return [{ title: n ? `Remove chain ${name} and its ${n} rule${n === 1 ? '' : 's'}` : `Remove chain ${name}`, edits }];
}

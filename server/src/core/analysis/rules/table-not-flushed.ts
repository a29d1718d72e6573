import { toolName } from '../../knowledge/toolName.ts';
import type { Command } from '../../model/types.ts';
import { commandIndent, commandTool, lineAfter } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { commandsAsRun } from '../../model/commandsAsRun.ts';

/** Commands that make adding a rule safe to run again: the script removes or looks before it adds (`-D` then `-A`, `-C … || -A`). */
const TAKES_CARE = new Set(['flush', 'delete', 'check', 'delete-chain']);

/** Commands whose effect doubles when the script runs again without the table emptied: a second copy of each rule, or a chain made twice (refused). */
const ADDS = new Set(['append', 'insert', 'new-chain']);

function key(cmd: Pick<Command, 'family' | 'table'>): string {
  return `${cmd.family}:${cmd.table}`;
}

/** `iptables -t nat -F` (and `-X` when the script makes chains there) right after the script's flush, as the script runs iptables there. */
function flushToo(ctx: RuleContext, flush: Command, first: Command, makesChains: boolean): Fix[] {
  const text = ctx.text;
  // the flush's tool when it works on the same family (`$IPT`), else the table's own command's
  const tool = flush.family === first.family ? commandTool(text, flush) : commandTool(text, first.instanceOf ?? first);
  if (!tool) return [];
  const indent = commandIndent(text, flush);
  const { at, newline } = lineAfter(text, flush);
  const lines = [`${tool} -t ${first.table} -F`, ...(makesChains ? [`${tool} -t ${first.table} -X`] : [])].map((l) => `${indent}${l}\n`).join('');
  return [{ title: `Flush the ${first.table} table too (${lines.trim().split('\n').map((l) => l.trim()).join('; ')})`, edits: [{ span: { start: at, end: at }, text: (newline ? '\n' : '') + lines }] }];
}

export const tableNotFlushed: LintRule = {
  code: 'table-not-flushed',
  severity: 'info',
  summary: 'A script that empties one table before it adds rules (`iptables -F`) but adds rules to another it never empties (`-t nat -A`): run again, it adds them again.',
  docs: {
    description: 'Reports, in a script that flushes a whole table (`iptables -F`, `ip6tables -t mangle -F`), each other table it adds rules or chains to but never flushes, deletes from or checks (`-D`, `-C … ||`) and does not load with iptables-restore. Such a script is meant to be run again (after an edit, or by a service restarted without a reboot) and starts over in the tables it flushes, but not in that one: each run adds its rules there once more, and a chain it makes there (`-N`) already exists the second time, so that command fails (a warning then). The quick fix adds the flush (and `-X` where the script makes chains) right after the script\'s own flush.',
    rationale: 'Duplicated NAT and mangle rules pile up with each run (`iptables -t nat -L` shows the MASQUERADE rule five times), and a script stopped by a failing `-N` leaves the firewall half built.',
    bad: { dialect: 'script', text: 'iptables -F\niptables -A INPUT -i lo -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    good: { dialect: 'script', text: 'iptables -F\niptables -t nat -F\niptables -A INPUT -i lo -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // a sourced file or a wrapper may flush what this file does not show
    if (rs.dialect !== 'script' || rs.sourcesFiles || rs.wrapsTool) return;
    // the script's first flush of a whole table, and its first of each family
    let firstFlush: Command | undefined;
    const flushOf = new Map<string, Command>();
    const cared = new Set<string>();
    for (const r of rs.restores ?? []) for (const t of r.ruleSet.tables.values()) cared.add(`${t.family}:${t.name}`);
    const run = commandsAsRun(rs);
    for (const cmd of run) {
      if (cmd.tableDynamic) {
        // `for t in filter nat; do iptables -t $t -F; done`: any table may be flushed
        if (TAKES_CARE.has(cmd.kind)) return;
        continue;
      }
      if (cmd.uncertain || TAKES_CARE.has(cmd.kind)) cared.add(key(cmd));
      if (cmd.kind === 'flush' && !cmd.chainWord) {
        firstFlush ??= cmd;
        if (!flushOf.has(cmd.family)) flushOf.set(cmd.family, cmd);
      }
    }
    if (!firstFlush) return;
    const adds = new Map<string, Command[]>();
    for (const cmd of run) {
      // (a function's command bound at a call spans the call: its tool is written in the body)
      if (!ADDS.has(cmd.kind) || cmd.tableDynamic || cared.has(key(cmd)) || !commandTool(ctx.text, cmd.instanceOf ?? cmd)) continue;
      let list = adds.get(key(cmd));
      if (!list) adds.set(key(cmd), (list = []));
      list.push(cmd);
    }
    for (const list of adds.values()) {
      const first = list[0];
      // a dual-stack script (`for ipt in iptables ip6tables`) flushes the family's own tables
      const flush = flushOf.get(first.family) ?? firstFlush;
      // the flush's line, counted only when there is something to report (this runs on every edit)
      const at = ctx.text.slice(0, flush.span.start).split('\n').length;
      // a -N whose failure the script expects (`2>/dev/null`, `|| true`) is not a surprise
      const made = list.find((c) => c.kind === 'new-chain' && !c.failureHandled);
      const table = `${toolName(first.family)} -t ${first.table}`;
      ctx.report({
        // a function's command bound at its calls: the command as written in the body
        span: (first.instanceOf ?? first).span,
        severity: made ? 'warning' : undefined,
        message: `Run again, this script adds its rules to ${table} again: it flushes ${toolName(flush.family)} -t ${flush.table} (line ${at}) but never ${table}${made ? `, and its -N ${made.chain ?? ''} then fails: the chain exists` : ''}.`,
        related: [{ span: flush.span, message: 'the script starts over here, in this table only' }],
        fixes: flushToo(ctx, flush, first, list.some((c) => c.kind === 'new-chain')),
      });
    }
  },
};

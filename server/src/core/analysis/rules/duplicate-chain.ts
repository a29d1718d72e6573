import { isBuiltinChain } from '../../model/builtinChains.ts';
import { chainFacts } from '../chainGraph.ts';
import { reportKept } from '../keptFindings.ts';
import { ownCommandLines, removeLines } from '../moveBefore.ts';
import { atTopLevel } from '../scriptLine.ts';
import type { Command } from '../../model/types.ts';
import type { Word } from '../../syntax/nodes.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

export const duplicateChain: LintRule = {
  code: 'duplicate-chain',
  severity: 'error',
  summary: 'A chain declared twice in the same table block, or `-N` (or `-E` to a name) of a chain that already exists.',
  docs: {
    description: 'Reports a second `:NAME` line for the same chain within one `*table` block, and in scripts an `iptables -N NAME` while a chain of that name exists (created earlier and not deleted with `-X` since), or an `iptables -E OLD NAME` renaming a chain to a name taken by another (a built-in one included). The commands are followed in the order they run, shell functions called at the top included: a chain counts as existing when it was created where the command runs or around it (not under a condition of its own) and nothing may have deleted it since. A `-N` whose failure the script expects (`2>/dev/null`, `|| true`: making sure a chain exists) is left alone, and so is a built-in chain declared twice in a save file (`:INPUT ACCEPT` then `:INPUT DROP`: iptables-restore sets the policy again). In a file loaded with `--noflush` (ufw\'s rules files) a second declaration is a warning, and only where rules were written to the chain above it: both backends take it there and empty the chain. The quick fix removes the second declaration, or a `-N` that stands on its own line at the top of the script.',
    rationale: 'iptables -N fails with "Chain already exists", -E with "File exists" (stopping scripts that use `set -e`); the legacy iptables-restore refuses a whole file that declares a user chain twice in a block ("error creating chain", iptables 1.8.9); iptables-nft-restore takes it, but empties the chain at the second declaration, so the rules written to it above are lost. Either way it usually means two rule sets were pasted together.',
    bad: { dialect: 'script', text: 'iptables -N blocklist\niptables -A blocklist -s 192.0.2.1 -j DROP\niptables -N blocklist\n' },
    good: { dialect: 'script', text: 'iptables -N blocklist\niptables -A blocklist -s 192.0.2.1 -j DROP\n' },
  },
  check(ctx) {
    reportKept(ctx, chainFacts(ctx.ruleSet), 'duplicate-chain', (report) => {
      const rs = ctx.ruleSet;
      if (rs.dialect === 'save') {
        for (const t of rs.tables.values()) {
          const headers = t.spans.map((s) => s.start).sort((a, b) => a - b);
          const blockOf = (offset: number) => headers.filter((h) => h <= offset).length;
          for (const c of t.chains.values()) {
            // `:INPUT DROP` after `:INPUT ACCEPT` sets the policy again, which iptables-restore
            // takes (legacy and nft alike): the later one holds
            if (c.builtin || c.declarations.length < 2) continue;
            const seen = new Set<number>();
            for (const d of c.declarations) {
              const block = blockOf(d.span.start);
              if (seen.has(block)) {
                // iptables-nft-restore takes the line and empties the chain there (1.8.9); with
                // --noflush both backends do, and the legacy one no longer refuses it
                const lost = d.emptied ?? 0;
                const losing = lost ? `empties the chain here, losing the ${lost} rule${lost === 1 ? '' : 's'} above` : '';
                const fix = (now: RuleContext) => removeLineFix(now, { from: d.line.start, to: d.line.end }, 'Remove this second declaration');
                if (!rs.noflush) report({ span: d.span, message: `Chain '${c.name}' is already declared in this *${t.name} block: the legacy iptables-restore refuses the file${lost ? `, and iptables-nft-restore ${losing}` : ''}.` }, fix);
                else if (lost) report({ span: d.span, severity: 'warning', message: `Chain '${c.name}' is declared again in this *${t.name} block: iptables-restore --noflush ${losing}.` }, fix);
              } else seen.add(block);
            }
          }
        }
      }
      // scripts (and -N lines in restore files): the tables followed in execution order say
      // where a chain certainly exists already (see TableState: not created under a condition
      // of its own, not possibly deleted since)
      if (rs.wrapsTool) return;
      const taken = (cmd: Command, w: Word) =>
        report({ span: w.span, message: `Chain '${w.value}' already exists at this point: iptables ${cmd.kind === 'new-chain' ? '-N' : '-E'} fails.` }, (now) =>
          // the chain is there, and a -N that fails changes nothing but a `set -e` script's end
          cmd.kind === 'new-chain' && rs.dialect === 'script' && atTopLevel(now.ruleSet, cmd) ? removeLineFix(now, ownCommandLines(now, cmd), 'Remove this -N: the chain exists here') : [],
        );
      for (const r of rs.refusals ?? []) {
        const w = r.command.kind === 'new-chain' ? r.command.chainWord : r.command.newName;
        // `iptables -N x 2>/dev/null`: making sure the chain exists, knowing it may; a -N that
        // fails changes nothing
        if (r.command.kind === 'new-chain' && r.command.failureHandled) continue;
        if (r.reason === 'chain-exists' && w) taken(r.command, w);
      }
      // a built-in chain's name is taken from the start
      for (const cmd of chainFacts(rs).chainCommands) {
        if (cmd.uncertain || cmd.tableDynamic) continue;
        const w = cmd.kind === 'new-chain' ? cmd.chainWord : cmd.kind === 'rename-chain' && cmd.chain && !isBuiltinChain(cmd.table, cmd.chain) ? cmd.newName : undefined;
        if (w && !w.dynamic && isBuiltinChain(cmd.table, w.value)) taken(cmd, w);
      }
    });
  },
};

/** The fix that removes the lines (a declaration line, a command alone on its lines); none where they share a line with something else. */
function removeLineFix(ctx: RuleContext, lines: { from: number; to: number } | undefined, title: string): Fix[] {
  const edits = lines && removeLines(ctx, [lines]);
  return edits ? [{ title, edits }] : [];
}

import { isBuiltinChain } from '../../model/builtinChains.ts';
import { chainFacts } from '../chainGraph.ts';
import { reportKept } from '../keptFindings.ts';
import type { LintRule } from '../types.ts';

export const duplicateChain: LintRule = {
  code: 'duplicate-chain',
  severity: 'error',
  summary: 'A chain declared twice in the same table block, or `-N` (or `-E` to a name) of a chain that already exists.',
  docs: {
    description: 'Reports a second `:NAME` line for the same chain within one `*table` block, and in scripts an `iptables -N NAME` while a chain of that name exists (created earlier and not deleted with `-X` since), or an `iptables -E OLD NAME` renaming a chain to a name taken by another (a built-in one included).',
    rationale: 'iptables -N fails with "Chain already exists", -E with "File exists" (stopping scripts that use `set -e`); a duplicated declaration in a restore file usually means two rule sets were pasted together.',
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
            if (c.declarations.length < 2) continue;
            const seen = new Set<number>();
            for (const d of c.declarations) {
              const block = blockOf(d.span.start);
              if (seen.has(block)) report({ span: d.span, message: `Chain '${c.name}' is already declared in this *${t.name} block.` });
              seen.add(block);
            }
          }
        }
      }
      // scripts (and -N lines in restore files): replay creation and deletion in execution order;
      // with shell functions the text order is not the run order (start/stop functions both create)
      if (rs.hasFunctions || rs.wrapsTool) return;
      const exists = new Map<string, boolean>();
      for (const cmd of chainFacts(rs).chainCommands) {
        if (cmd.uncertain || cmd.tableDynamic) continue;
        const key = (name: string) => `${cmd.family}:${cmd.table}:${name}`;
        if (cmd.kind === 'new-chain' && cmd.chainWord) {
          if (exists.get(key(cmd.chainWord.value)) || isBuiltinChain(cmd.table, cmd.chainWord.value)) report({ span: cmd.chainWord.span, message: `Chain '${cmd.chainWord.value}' already exists at this point: iptables -N fails.` });
          exists.set(key(cmd.chainWord.value), true);
        } else if (cmd.kind === 'delete-chain') {
          if (cmd.chain) exists.set(key(cmd.chain), false);
          else for (const k of exists.keys()) if (k.startsWith(`${cmd.family}:${cmd.table}:`)) exists.set(k, false);
        } else if (cmd.kind === 'rename-chain' && cmd.chain && cmd.newName) {
          const to = cmd.newName;
          // a built-in chain is not renamed (undefined-chain reports it)
          if (isBuiltinChain(cmd.table, cmd.chain)) continue;
          if (!to.dynamic && (exists.get(key(to.value)) || isBuiltinChain(cmd.table, to.value))) {
            report({ span: to.span, message: `Chain '${to.value}' already exists at this point: iptables -E fails.` });
            continue;
          }
          exists.set(key(cmd.chain), false);
          exists.set(key(cmd.newName.value), true);
        }
      }
    });
  },
};

import { isBuiltinChain } from '../../model/builtinChains.ts';
import { hooksReaching } from '../chainGraph.ts';
import type { LintRule } from '../types.ts';

export const targetNotAllowedHere: LintRule = {
  code: 'target-not-allowed-here',
  severity: 'error',
  summary: 'A target (or a hook-bound match such as owner) used outside the tables and chains it works in (DNAT outside nat PREROUTING/OUTPUT, MASQUERADE outside nat POSTROUTING, REJECT in nat…), following jumps into user chains.',
  docs: {
    description: 'Reports a target in a table it does not belong to, or in a built-in chain it cannot be used from. For a user chain, every built-in chain that reaches it through jumps or gotos is checked: a REJECT in a user chain called from nat PREROUTING is reported, naming the path.',
    rationale: 'The kernel refuses such rules ("RULE_APPEND failed (Invalid argument)"), so the restore fails or the script stops halfway.',
    bad: { dialect: 'save', text: '*filter\n-A FORWARD -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5\nCOMMIT\n' },
    good: { dialect: 'save', text: '*nat\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const reachCache = new Map<string, Map<string, Set<string>>>();
    for (const cmd of rs.commands) {
      const rule = cmd.rule;
      // matches that only exist at some hooks (`-m owner` for locally sent packets)
      for (const m of rule?.matches ?? []) {
        const chains = m.spec?.chains;
        if (!chains || !rule!.chain || cmd.uncertain || cmd.tableDynamic) continue;
        let hooks: string[] = [];
        if (isBuiltinChain(cmd.table, rule!.chain)) hooks = chains.includes(rule!.chain as never) ? [] : [rule!.chain];
        else {
          const key = `${cmd.family}:${cmd.table}`;
          const table = rs.tables.get(key);
          if (table && !reachCache.has(key)) reachCache.set(key, hooksReaching(table));
          hooks = [...(reachCache.get(key)?.get(rule!.chain) ?? [])].filter((h) => !chains.includes(h as never));
        }
        if (hooks.length) ctx.report({ span: m.span, message: `The ${m.name} match only works in ${chains.join(', ')}, not in ${hooks.join(', ')}.` });
      }
      const spec = rule?.target?.spec;
      if (!rule || !spec || cmd.uncertain || cmd.tableDynamic || (!spec.tables && !spec.chains)) continue;
      const span = rule.target!.span;
      if (spec.tables && !spec.tables.includes(cmd.table as never)) {
        ctx.report({ span, message: `${spec.name} only works in the ${spec.tables.join(' or ')} table${spec.tables.length > 1 ? 's' : ''}, not in ${cmd.table}.` });
        continue;
      }
      if (!spec.chains || !rule.chain) continue;
      if (isBuiltinChain(cmd.table, rule.chain)) {
        if (!spec.chains.includes(rule.chain as never)) {
          ctx.report({ span, message: `${spec.name} only works in ${spec.chains.join(', ')}${spec.tables ? ` of ${spec.tables.join('/')}` : ''}, not in ${rule.chain}.` });
        }
        continue;
      }
      const key = `${cmd.family}:${cmd.table}`;
      const table = rs.tables.get(key);
      if (!table) continue;
      if (!reachCache.has(key)) reachCache.set(key, hooksReaching(table));
      const hooks = [...(reachCache.get(key)!.get(rule.chain) ?? [])].filter((h) => !spec.chains!.includes(h as never));
      if (hooks.length) {
        ctx.report({ span, message: `${spec.name} only works in ${spec.chains.join(', ')}, but chain ${rule.chain} is reached from ${cmd.table} ${hooks.join(', ')}.` });
      }
    }
  },
};

import { BUILTIN_CHAINS } from '../../model/builtinChains.ts';
import { nearestName } from '../nearestName.ts';
import type { LintRule } from '../types.ts';

const TABLES = Object.keys(BUILTIN_CHAINS);

export const unknownTable: LintRule = {
  code: 'unknown-table',
  severity: 'error',
  summary: 'A table other than filter, nat, mangle, raw and security.',
  docs: {
    description: 'Reports a `*table` header or a `-t` value that is not one of the five iptables tables.',
    rationale: 'iptables-restore stops at the header ("table does not exist"); a script command fails and every rule meant for that table is missing.',
    bad: { dialect: 'save', text: '*nta\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n' },
    good: { dialect: 'save', text: '*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const seen = new Set<number>();
    const report = (name: string, span: { start: number; end: number }) => {
      if (!name || TABLES.includes(name) || seen.has(span.start)) return;
      seen.add(span.start);
      const near = nearestName(name, TABLES);
      ctx.report({ span, message: `There is no table '${name}'${near ? `; did you mean '${near}'?` : ''} (tables: ${TABLES.join(', ')}).` });
    };
    for (const t of rs.tables.values()) for (const s of t.spans) report(t.name, s);
    // save files name their tables only in `*table` headers
    if (rs.dialect === 'script') for (const cmd of rs.commands) if (cmd.tableSpan && !cmd.tableDynamic) report(cmd.table, cmd.tableSpan);
  },
};

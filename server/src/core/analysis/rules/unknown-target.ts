import { chainFacts } from '../chainGraph.ts';
import { looksLikeTarget } from '../jumpTargets.ts';
import type { LintRule } from '../types.ts';

export const unknownTarget: LintRule = {
  code: 'unknown-target',
  severity: 'error',
  summary: 'A `-j` target that is neither a target extension nor a declared chain, and reads like a target (`-j accept`, `-j MASQERADE`).',
  docs: {
    description: 'Reports the name after `-j` when iptables has no target of that name and the table has no chain of that name, and the name looks like a target: written in capitals, or close to a real target\'s name. Target names are case-sensitive: `accept` is not `ACCEPT`. Other undeclared names are reported as `undefined-chain`.',
    rationale: 'iptables treats an unknown target as a chain name and fails with "Couldn\'t load target" or "Chain does not exist"; the rule, and in a restore file the whole file, is rejected.',
    bad: { dialect: 'save', text: '*nat\n-A POSTROUTING -o eth0 -j MASQERADE\nCOMMIT\n' },
    good: { dialect: 'save', text: '*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    if (rs.wrapsTool) return;
    const facts = chainFacts(rs);
    for (const cmd of facts.namingUndeclared) {
      const t = cmd.rule?.target;
      if (!t || t.spec || t.goto || !t.name || cmd.uncertain) continue;
      if (facts.declared(cmd.family, cmd.table).has(t.name) || facts.uncertain(cmd.family, cmd.table)) continue;
      const like = looksLikeTarget(t.name);
      // in scripts a capitalised name without a near target is more likely a chain made elsewhere
      if (!like || (!like.suggestion && rs.dialect === 'script')) continue;
      ctx.report({
        span: t.span,
        message: `There is no target '${t.name}' and no chain of that name in the ${cmd.table} table${like.suggestion ? `; did you mean '${like.suggestion}'?` : '.'}`,
        fixes: like.suggestion ? [{ title: `Change to '${like.suggestion}'`, edits: [{ span: t.span, text: like.suggestion }] }] : undefined,
      });
    }
  },
};

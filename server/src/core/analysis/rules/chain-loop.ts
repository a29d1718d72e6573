import type { LintRule } from '../types.ts';

export const chainLoop: LintRule = {
  code: 'chain-loop',
  severity: 'error',
  summary: 'Jumps between user chains that form a cycle.',
  docs: {
    description: 'Reports a `-j` or `-g` that closes a cycle of chains jumping to each other (a chain jumping to itself included).',
    rationale: 'The kernel refuses a rule set with a jump loop ("Too many links"); a restore fails as a whole.',
    bad: { dialect: 'save', text: '*filter\n:a - [0:0]\n:b - [0:0]\n-A a -j b\n-A b -j a\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:a - [0:0]\n:b - [0:0]\n-A a -j b\n-A b -j RETURN\nCOMMIT\n' },
  },
  check(ctx) {
    for (const t of ctx.ruleSet.tables.values()) {
      const reported = new Set<string>();
      const visit = (name: string, stack: string[]) => {
        const chain = t.chains.get(name);
        if (!chain) return;
        for (const r of chain.rules) {
          const target = r.target;
          if (!target || target.spec || !t.chains.has(target.name)) continue;
          const at = stack.indexOf(target.name);
          if (at !== -1 || target.name === name) {
            const cycle = [...stack.slice(at === -1 ? stack.length : at), name, target.name];
            const key = [...new Set(cycle)].sort().join(',');
            if (!reported.has(key)) {
              reported.add(key);
              ctx.report({ span: target.span, message: `This jump closes a loop: ${cycle.join(' → ')}. The kernel refuses the rule set.` });
            }
            continue;
          }
          if (stack.length < 64) visit(target.name, [...stack, name]);
        }
      };
      for (const c of t.chains.values()) if (!c.builtin) visit(c.name, []);
    }
  },
};

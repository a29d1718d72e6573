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
      // depth-first search with three colours: a jump to a chain still on the stack closes a cycle
      const state = new Map<string, 'active' | 'done'>();
      const visit = (name: string, stack: string[]) => {
        const chain = t.chains.get(name);
        if (!chain || state.get(name) === 'done') return;
        state.set(name, 'active');
        for (const r of chain.rules) {
          const target = r.target;
          if (!target || target.spec || !t.chains.has(target.name)) continue;
          if (state.get(target.name) === 'active') {
            const at = stack.indexOf(target.name);
            const cycle = [...(at === -1 ? [] : stack.slice(at)), name, target.name];
            ctx.report({ span: target.span, message: `This jump closes a loop: ${cycle.join(' → ')}. The kernel refuses the rule set.` });
          } else visit(target.name, [...stack, name]);
        }
        state.set(name, 'done');
      };
      for (const c of t.chains.values()) if (!c.builtin) visit(c.name, []);
    }
  },
};

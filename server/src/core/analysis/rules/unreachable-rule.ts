import type { Rule } from '../../model/types.ts';
import type { LintRule } from '../types.ts';

const FINAL = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'QUEUE', 'NFQUEUE']);

/** Matches every packet: no protocol, address, interface, fragment or match test. */
export function unconditional(r: Rule): boolean {
  return !r.protocol && !r.source && !r.destination && !r.inInterface && !r.outInterface && !r.fragment && r.matches.every((m) => m.name === 'comment') && !r.dynamic && r.problems.length === 0;
}

export const unreachableRule: LintRule = {
  code: 'unreachable-rule',
  severity: 'warning',
  summary: 'A rule after an unconditional terminal rule in the same chain.',
  docs: {
    description: 'Reports rules that follow, in the same chain, a rule without any test whose target ends the chain (ACCEPT, DROP, REJECT, RETURN, a goto): no packet ever reaches them.',
    rationale: 'Usually a rule appended after a catch-all DROP (`-A INPUT -j DROP` then `-A INPUT ... -j ACCEPT`): the intended accept never takes effect. Insert it before, or use -I.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n' },
  },
  check(ctx) {
    for (const t of ctx.ruleSet.tables.values()) {
      for (const c of t.chains.values()) {
        const stop = c.rules.findIndex((r) => unconditional(r) && !!r.target && (FINAL.has(r.target.name) || r.target.goto || (r.target.spec?.terminating ?? false)));
        if (stop === -1) continue;
        const by = c.rules[stop];
        for (const r of c.rules.slice(stop + 1)) {
          ctx.report({ span: r.span, message: `Never reached: the rule before it in ${c.name} (-j ${by.target!.name}, no conditions) decides every packet first.`, related: [{ span: by.span, message: 'decides every packet' }] });
        }
      }
    }
  },
};

import type { LintRule } from '../types.ts';

export const deprecatedStateMatch: LintRule = {
  code: 'deprecated-state-match',
  severity: 'info',
  summary: '`-m state --state` where `-m conntrack --ctstate` is meant.',
  docs: {
    description: 'Reports uses of the old `state` match. `-m conntrack --ctstate` takes the same states (and SNAT/DNAT), is the maintained interface, and is what nftables-based tools translate. A quick fix rewrites the rule.',
    rationale: 'The `state` match is kept for compatibility only; mixed spellings make rule sets harder to compare and search.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    for (const m of cmd.rule?.matches ?? []) {
      if (m.name !== 'state' || m.implicit) continue;
      const edits = [{ span: m.span, text: 'conntrack' }, ...m.options.filter((o) => o.name === '--state').map((o) => ({ span: o.item.nameSpan, text: '--ctstate' }))];
      ctx.report({ span: m.span, message: 'The state match is the old spelling: use -m conntrack --ctstate.', fixes: [{ title: 'Use -m conntrack --ctstate', edits }] });
    }
  },
};

import { checkStates } from '../../knowledge/values/conntrack.ts';
import type { MatchUse } from '../../model/types.ts';
import type { LintRule } from '../types.ts';

/**
 * The rewrite keeps the rule's meaning when `--state` is given states both matches read alike:
 * without it the state match fails to load where conntrack loads (and matches everything),
 * and SNAT or DNAT fail in one only. Unknown words (a shell expansion) are left to a person.
 */
function rewriteKeepsMeaning(m: MatchUse): boolean {
  const states = m.options.filter((o) => o.name === '--state');
  return states.length > 0 && states.length === m.options.length && states.every((o) => o.values.length === 1 && !o.values[0].dynamic && checkStates(o.values[0].value) === undefined);
}

export const deprecatedStateMatch: LintRule = {
  code: 'deprecated-state-match',
  severity: 'info',
  summary: '`-m state --state` where `-m conntrack --ctstate` is meant.',
  docs: {
    description: 'Reports uses of the old `state` match. `-m conntrack --ctstate` takes the same states (and SNAT/DNAT), is the maintained interface, and is what nftables-based tools translate. A quick fix rewrites the rule; when the states given are ones both matches know, the rewrite keeps what the rule does, and `iptables-lint --fix` (or the editor\'s fix-all) makes it in every rule at once.',
    rationale: 'The `state` match is kept for compatibility only; mixed spellings make rule sets harder to compare and search.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    // by index: the list may be the shared empty one (see NONE)
    const matches = cmd.rule?.matches;
    if (!matches) return;
    for (let i = 0; i < matches.length; i++) {
      const m = matches[i];
      if (m.name !== 'state' || m.implicit) continue;
      const edits = [{ span: m.span, text: 'conntrack' }, ...m.options.filter((o) => o.name === '--state').map((o) => ({ span: o.item.nameSpan, text: '--ctstate' }))];
      ctx.report({ span: m.span, message: 'The state match is the old spelling: use -m conntrack --ctstate.', fixes: [{ title: 'Use -m conntrack --ctstate', edits, safe: rewriteKeepsMeaning(m) || undefined }] });
    }
  },
};

import type { LintRule } from '../types.ts';

export const optionRequiresMatch: LintRule = {
  code: 'option-requires-match',
  severity: 'error',
  summary: 'An extension\'s option without its match or target: `--dport` without `-p tcp`, `--ctstate` without `-m conntrack`.',
  docs: {
    description: 'Reports an option that belongs to a match or target the rule has not loaded before it: `--dport` with no `-p tcp`/`-p udp` (or `-m multiport`) in front, `--ctstate` without `-m conntrack`, `--to-destination` without `-j DNAT`.',
    rationale: 'iptables reads options left to right and only knows those of extensions already loaded; it answers "unknown option" and the rule is not added.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT --dport 22 -j ACCEPT\n-A INPUT --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const cmd of ctx.ruleSet.commands) {
      for (const p of cmd.problems) {
        if (p.kind === 'needs-match') {
          const via = p.candidates.map((m) => (m.implicitForProtocol ? `-p ${m.implicitForProtocol}` : `-m ${m.name}`));
          const unique = [...new Set(via)];
          const list = unique.length > 3 ? `${unique.slice(0, 3).join(', ')}…` : unique.join(' or ');
          ctx.report({ span: p.option.nameSpan, message: `${p.option.name} belongs to ${p.candidates.length === 1 ? 'the ' + p.candidates[0].name + ' match' : 'a match'}: put ${list} before it.` });
        } else if (p.kind === 'needs-target') {
          const names = p.candidates.map((t) => t.name);
          ctx.report({ span: p.option.nameSpan, message: `${p.option.name} is an option of the ${names.join(' / ')} target${names.length > 1 ? 's' : ''}: it must come after -j ${names[0]}.` });
        }
      }
    }
  },
};

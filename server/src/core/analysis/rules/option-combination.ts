import type { ExtensionSpec } from '../../knowledge/types.ts';
import type { BoundOption, Rule } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import type { LintRule } from '../types.ts';

function usesOf(rule: Rule): { spec: ExtensionSpec; span: Span; options: BoundOption[] }[] {
  const out = rule.matches.filter((m) => m.spec).map((m) => ({ spec: m.spec!, span: m.span, options: m.options }));
  if (rule.target?.spec) out.push({ spec: rule.target.spec, span: rule.target.span, options: rule.target.options });
  return out;
}

export const optionCombination: LintRule = {
  code: 'option-combination',
  severity: 'error',
  summary: 'An extension without an option it needs (`-j DNAT` without `--to-destination`), options that exclude each other, or a once-only option given twice.',
  docs: {
    description: 'Each match and target checks its own options when the rule is added: some need an option (`-m conntrack` alone, `-j MARK` without an operation, `-j DNAT` without `--to-destination`), some options exclude each other (`--hl-set` with `--hl-inc`, `--connlimit-saddr` with `--connlimit-daddr`), and most may be given only once. This rule applies the same checks.',
    rationale: 'iptables refuses such a rule ("option must be specified", "cannot be used together", "can only be used once"); in a restore file nothing is loaded.',
    bad: { dialect: 'save', text: '*mangle\n-A PREROUTING -j MARK\n-A POSTROUTING -j TTL --ttl-set 64 --ttl-inc 1\nCOMMIT\n' },
    good: { dialect: 'save', text: '*mangle\n-A PREROUTING -j MARK --set-mark 1\n-A POSTROUTING -j TTL --ttl-set 64\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const rule = cmd.rule;
    if (!rule || rule.dynamic || cmd.kind === 'delete' || cmd.kind === 'check') return;
    for (const use of usesOf(rule)) {
      const given = new Map<string, BoundOption[]>();
      for (const o of use.options) given.set(o.name, [...(given.get(o.name) ?? []), o]);
      for (const group of use.spec.needsOneOf ?? []) {
        if (!group.some((n) => given.has(n))) {
          ctx.report({ span: use.span, message: group.length === 1 ? `${use.spec.name} needs ${group[0]}.` : `${use.spec.name} needs one of ${group.join(', ')}.` });
        }
      }
      for (const group of use.spec.exclusive ?? []) {
        const present = group.filter((n) => given.has(n));
        if (present.length > 1) {
          const second = given.get(present[1])![0];
          ctx.report({ span: second.item.nameSpan, message: `${present[1]} cannot be combined with ${present[0]} in ${use.spec.name}.` });
        }
      }
      // the policy match describes several policy elements separated by --next
      const elements = use.spec.options.some((o) => o.name === '--next');
      for (const [name, list] of given) {
        if (elements) break;
        if (list.length > 1 && !list[0].spec?.repeatable) ctx.report({ span: list[1].item.nameSpan, message: `${name} can be given only once per ${use.spec.kind}.` });
      }
    }
  },
};

import { genericOptions, implicitMatchForProtocol } from '../../knowledge/index.ts';
import type { Command } from '../../model/types.ts';
import { nearestName } from '../nearestName.ts';
import type { LintRule } from '../types.ts';

/** Options a user could have meant here: the generic ones and those of what the rule loaded. */
function optionsInScope(cmd: Command): string[] {
  const names: string[] = [];
  // the protocol's own options first: `-p tcp --dprt` means --dport
  const proto = cmd.rule?.protocol && !cmd.rule.protocol.word.dynamic ? implicitMatchForProtocol(cmd.rule.protocol.value, cmd.family) : undefined;
  for (const o of proto?.options ?? []) names.push(o.name, ...(o.aliases ?? []));
  for (const o of genericOptions) names.push(...[o.name, ...(o.aliases ?? [])].filter((n) => n.startsWith('--')));
  for (const m of cmd.rule?.matches ?? []) for (const o of m.spec?.options ?? []) names.push(o.name, ...(o.aliases ?? []));
  for (const o of cmd.rule?.target?.spec?.options ?? []) names.push(o.name, ...(o.aliases ?? []));
  return names;
}

export const unknownOption: LintRule = {
  code: 'unknown-option',
  severity: 'error',
  summary: 'An option neither iptables nor any loaded extension defines (a typo such as `--dprt`).',
  docs: {
    description: 'Reports an option name that iptables would not accept at that place: not a generic option, not an option of the matches loaded before it or of the target, and not an option of any extension at all (those that belong to an extension the rule did not load are reported as `option-requires-match`). An abbreviation that fits several options is reported too.',
    rationale: 'iptables stops with "unknown option" and the rule is not added; in a restore file nothing is loaded.',
    bad: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  lineLocal: true,
  checkCommand(cmd, ctx) {
    const problems = cmd.problems;
    for (let i = 0; i < problems.length; i++) {
      const p = problems[i];
      if (p.kind !== 'unknown-option') continue;
      const name = p.option.written;
      const span = p.option.nameSpan;
      if (p.ambiguous) {
        ctx.report({ span, message: `'${name}' is ambiguous here: it abbreviates ${p.ambiguous.join(', ')}.` });
        continue;
      }
      const near = name.startsWith('--') ? nearestName(name, optionsInScope(cmd)) : undefined;
      ctx.report({
        span,
        message: `Unknown option '${name}'${near ? `; did you mean '${near}'?` : '.'}`,
        fixes: near ? [{ title: `Change to '${near}'`, edits: [{ span, text: near }] }] : undefined,
      });
    }
  },
};

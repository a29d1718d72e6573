import type { HookFormat } from '../model/hookFiles.ts';
import type { LintRule } from './types.ts';

/**
 * Markdown generated from the rule files: one page per rule under docs/rules/, and the
 * table in the README. A test regenerates both and fails when the committed copies differ.
 */
export function rulePage(rule: LintRule): string {
  const lang = (d: 'save' | 'script' | HookFormat) => (d === 'save' ? 'text' : d === 'wg-quick' ? 'ini' : d === 'ifupdown' ? 'text' : 'sh');
  return [
    `# \`${rule.code}\``,
    '',
    `Default severity: **${rule.severity}**`,
    '',
    rule.summary,
    '',
    '## What it flags',
    '',
    rule.docs.description,
    '',
    '## Why it matters',
    '',
    rule.docs.rationale,
    '',
    '## Example that is flagged',
    '',
    '```' + lang(rule.docs.bad.dialect),
    rule.docs.bad.text.replace(/\n$/, ''),
    '```',
    '',
    '## Corrected',
    '',
    '```' + lang(rule.docs.good.dialect),
    rule.docs.good.text.replace(/\n$/, ''),
    '```',
    '',
    '## Silencing it',
    '',
    `Put \`# iptables-lint disable-next-line ${rule.code}\` on the line before, or set \`"${rule.code}": "off"\` under \`rules\` in \`.iptables-lint.json\` (or the \`iptables.lint.rules\` setting in VS Code).`,
    '',
    '<!-- generated from server/src/core/analysis/rules/' + rule.code + '.ts; do not edit -->',
    '',
  ].join('\n');
}

export function rulesTable(rules: readonly LintRule[]): string {
  const rows = rules.map((r) => `| [\`${r.code}\`](docs/rules/${r.code}.md) | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} |`);
  return ['| code | default | flags |', '|---|---|---|', ...rows].join('\n');
}

export const TABLE_START = '<!-- rules:start (generated from the rule files: npm run docs) -->';
export const TABLE_END = '<!-- rules:end -->';

export function withRulesTable(readme: string, rules: readonly LintRule[]): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end === -1) return readme;
  return readme.slice(0, start + TABLE_START.length) + '\n' + rulesTable(rules) + '\n' + readme.slice(end);
}

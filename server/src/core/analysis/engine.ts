import type { RuleSet } from '../model/types.ts';
import type { LineIndex } from '../text/lineIndex.ts';
import { rules as allRules } from './registry.ts';
import { applySuppressions } from './suppressions.ts';
import type { AnalysisSettings, Diagnostic, LintRule, SeveritySetting } from './types.ts';

export const defaultSettings: AnalysisSettings = { sshPort: 22 };

export interface RunOptions {
  settings?: Partial<AnalysisSettings>;
  /** Per-code severity overrides (`.iptables-lint.json`, then the editor setting). */
  severities?: Record<string, SeveritySetting>;
  rules?: readonly LintRule[];
}

/**
 * Runs every rule over a rule set. A rule that throws is reported as one `internal-error`
 * diagnostic naming it; the others still run.
 */
export function runRules(ruleSet: RuleSet, text: string, lines: LineIndex, options: RunOptions = {}): Diagnostic[] {
  const settings: AnalysisSettings = { ...defaultSettings, ...options.settings };
  const out: Diagnostic[] = [];
  for (const rule of options.rules ?? allRules) {
    const override = options.severities?.[rule.code];
    if (override === 'off') continue;
    const severity = override ?? rule.severity;
    try {
      rule.check({
        ruleSet,
        text,
        settings,
        report: (d) => out.push({ ...d, code: rule.code, severity: override ?? d.severity ?? severity }),
      });
    } catch (e) {
      out.push({
        code: 'internal-error',
        severity: 'error',
        message: `The ${rule.code} check failed on this file (${e instanceof Error ? e.message : String(e)}); other checks ran. Please report it.`,
        span: { start: 0, end: 0 },
      });
    }
  }
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return applySuppressions(text, lines, out);
}

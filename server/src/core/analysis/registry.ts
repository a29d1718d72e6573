import { missingCommit } from './rules/missing-commit.ts';
import { syntaxError } from './rules/syntax-error.ts';
import type { LintRule } from './types.ts';

/** Every diagnostic rule, listed once. Docs pages and the README table are generated from this list. */
export const rules: readonly LintRule[] = [syntaxError, missingCommit];

export function getRule(code: string): LintRule | undefined {
  return rules.find((r) => r.code === code);
}

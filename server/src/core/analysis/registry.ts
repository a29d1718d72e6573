import { addressFamilyMismatch } from './rules/address-family-mismatch.ts';
import { duplicateChain } from './rules/duplicate-chain.ts';
import { invalidValue } from './rules/invalid-value.ts';
import { missingCommit } from './rules/missing-commit.ts';
import { optionCombination } from './rules/option-combination.ts';
import { optionRequiresMatch } from './rules/option-requires-match.ts';
import { syntaxError } from './rules/syntax-error.ts';
import { targetNotAllowedHere } from './rules/target-not-allowed-here.ts';
import { undefinedChain } from './rules/undefined-chain.ts';
import { unknownMatch } from './rules/unknown-match.ts';
import { unknownOption } from './rules/unknown-option.ts';
import { unknownTable } from './rules/unknown-table.ts';
import { unknownTarget } from './rules/unknown-target.ts';
import type { LintRule } from './types.ts';

/** Every diagnostic rule, listed once. Docs pages and the README table are generated from this list. */
export const rules: readonly LintRule[] = [
  syntaxError,
  missingCommit,
  unknownTable,
  unknownOption,
  unknownMatch,
  unknownTarget,
  invalidValue,
  optionRequiresMatch,
  optionCombination,
  targetNotAllowedHere,
  undefinedChain,
  duplicateChain,
  addressFamilyMismatch,
];

export function getRule(code: string): LintRule | undefined {
  return rules.find((r) => r.code === code);
}

import { conntrackHelper, type ConntrackHelper } from '../knowledge/conntrackHelpers.ts';
import type { Rule } from './types.ts';
import type { Word } from '../syntax/nodes.ts';

/** The kernel helper a rule's `-j CT --helper NAME` names, with the word naming it; undefined for any other rule or name. */
export function ctHelperOf(rule: Rule): { word: Word; helper: ConntrackHelper } | undefined {
  const t = rule.target;
  if (t?.spec?.name !== 'CT') return undefined;
  const word = t.options.find((o) => o.name === '--helper')?.values[0];
  const helper = word && !word.dynamic ? conntrackHelper(word.value) : undefined;
  return helper && { word: word!, helper };
}

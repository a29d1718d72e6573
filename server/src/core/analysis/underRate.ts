import type { MatchUse, Rule } from '../model/types.ts';
import { matchesExcess } from './hashlimitExcess.ts';

/**
 * The match that makes the rule take packets only under a rate (`-m limit`, `-m hashlimit`
 * with `--hashlimit-upto`): packets over it do not match and go on to the next rule.
 * `--hashlimit-above` or `! --hashlimit-upto` (the excess itself) and `--hashlimit-rate-match` are other things.
 */
export function underRate(rule: Rule): MatchUse | undefined {
  return rule.matches.find((m) => m.name === 'limit' || (m.name === 'hashlimit' && !matchesExcess(m) && !m.options.some((o) => o.name === '--hashlimit-rate-match')));
}

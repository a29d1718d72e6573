import type { Chain } from '../model/types.ts';
import { policyPlace } from '../model/policyPlace.ts';
import { decidingRule, type Outcome } from '../simulate/evaluate.ts';
import type { Span } from '../text/span.ts';

/**
 * What decided an outcome in filter FORWARD, for a finding's related information: the rule
 * (with its verdict and chain), else FORWARD's policy where it was set (`fallback` where the
 * file never sets it).
 */
export function forwardDecider(o: Outcome, forward: Chain | undefined, fallback: Span): { span: Span; message: string } {
  const rule = decidingRule(o);
  if (rule) return { span: rule.span, message: `${o.verdict} here (${rule.chain})` };
  return { span: policyPlace(forward) ?? fallback, message: `FORWARD policy ${o.verdict}` };
}

import type { Rule } from '../model/types.ts';
import type { Span } from '../text/span.ts';

/**
 * Where to report on a rule: the first of `spans` within the rule's own span, or the rule.
 * A function's rule bound at a call (RuleSet.instances) spans the call, and its words are the
 * body's, or the call's arguments where a word is one: a finding on one of its calls is put
 * where that call is seen, not in the body all calls share.
 */
export function spanInRule(rule: Rule, ...spans: Span[]): Span {
  const r = rule.span;
  return spans.find((s) => s.start >= r.start && s.end <= r.end) ?? r;
}

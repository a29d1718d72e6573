import type { Chain, Rule } from '../model/types.ts';
import { policyPlace } from '../model/policyPlace.ts';
import type { Span } from '../text/span.ts';
import { unconditional } from './unconditional.ts';

const REFUSE = new Set(['DROP', 'REJECT']);

/**
 * Where a filter INPUT chain ends closed: its last rule when that drops or rejects every
 * packet, else its DROP or REJECT policy; undefined when packets no rule decides are accepted.
 * ipv6-left-open compares the two families with it, and the front end reads an IPv6 rules
 * file kept beside an IPv4 one with it.
 */
export function inputClosing(input: Chain | undefined): { span: Span; rule?: Rule } | undefined {
  if (!input) return undefined;
  const last = input.rules[input.rules.length - 1];
  if (last?.target && REFUSE.has(last.target.name) && unconditional(last)) return { span: last.span, rule: last };
  if (!REFUSE.has(input.policy)) return undefined;
  const span = policyPlace(input);
  return span && { span };
}

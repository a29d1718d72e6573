import type { Span } from '../text/span.ts';
import type { Chain } from './types.ts';

/**
 * Where a finding about what a chain's policy decides points: the policy as set (`:INPUT DROP`
 * or `-P INPUT DROP`), or the chain's declaration when no policy was written.
 */
export function policyPlace(chain: Chain | undefined): Span | undefined {
  return chain?.policySpan ?? chain?.declarations[0]?.span;
}

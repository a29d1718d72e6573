import type { Chain, Rule } from './types.ts';

/**
 * How many rules the kernel holds for one rule as written: iptables adds one for each source
 * and destination pair (`-s a,b -d c` is two). Undefined where that is not known from the
 * text: a host name may resolve to several addresses, a shell expansion to anything.
 */
export function kernelRuleCount(r: Rule): number | undefined {
  const s = addresses(r.source);
  const d = addresses(r.destination);
  return s === undefined || d === undefined ? undefined : s * d;
}

/** The rules the kernel holds for a chain's rules; NaN where one of them is not known (see kernelRuleCount). */
export function kernelLength(c: Chain): number {
  let n = 0;
  for (const r of c.rules) n += kernelRuleCount(r) ?? NaN;
  return n;
}

/** An address or a network (address/prefix, address/mask), which iptables reads without a lookup. */
const LITERAL = /^[0-9a-fA-F:.]+(\/[0-9a-fA-F:.]+)?$/;

function addresses(c: Rule['source']): number | undefined {
  if (!c) return 1;
  if (c.word.dynamic) return undefined;
  let n = 0;
  for (const item of c.value.split(',')) {
    if (!LITERAL.test(item)) return undefined;
    n++;
  }
  return n;
}

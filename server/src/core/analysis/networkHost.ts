import { formatIPv4, ipv4Network, type IPv4Network } from '../knowledge/values/addresses.ts';
import type { Condition } from '../model/types.ts';

/** A host of the network to send a probe to: the tenth address, the first of a small network, the one of a /32. */
export function hostIn(n: IPv4Network): string {
  const bits = n.bits ?? 32;
  return formatIPv4((((n.net & n.mask) >>> 0) + (bits === 32 ? 0 : bits <= 28 ? 10 : 1)) >>> 0);
}

/**
 * A host of the one IPv4 network an address test names (`-s 192.168.1.0/24`), for a packet
 * the rule matches; undefined for a negated test, a list, a shell expansion, a host name or
 * a non-contiguous mask.
 */
export function hostOfCondition(c: Condition | undefined): string | undefined {
  if (!c || c.negated || c.word.dynamic || c.value.includes(',')) return undefined;
  const n = ipv4Network(c.value);
  return n && n.bits !== undefined ? hostIn(n) : undefined;
}

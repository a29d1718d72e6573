import { formatIPv4, formatIPv6, ipv4Network, ipv6Network, type IPv4Network, type IPv6Network } from '../knowledge/values/addresses.ts';
import type { Condition } from '../model/types.ts';

/** A host of the network to send a probe to: the tenth address, the first of a small network, the one of a /32. */
export function hostIn(n: IPv4Network): string {
  const bits = n.bits ?? 32;
  return formatIPv4((((n.net & n.mask) >>> 0) + (bits === 32 ? 0 : bits <= 28 ? 10 : 1)) >>> 0);
}

/** The same for IPv6 (contiguous masks): `::a` of a network, `::1` of a small one, the address of a /128. */
export function hostIn6(n: IPv6Network): string {
  const bits = n.bits ?? 128;
  const groups = [...n.groups];
  // the host bits are clear, so the last group takes the offset without a carry
  groups[7] += bits === 128 ? 0 : bits <= 124 ? 10 : 1;
  return formatIPv6(groups);
}

/**
 * A host of the one network an address test names (`-s 192.168.1.0/24`, `-s 2001:db8:1::/64`),
 * for a packet the rule matches; undefined for a negated test, a list, a shell expansion, a
 * host name or a non-contiguous mask.
 */
export function hostOfCondition(c: Condition | undefined): string | undefined {
  if (!c || c.negated || c.word.dynamic || c.value.includes(',')) return undefined;
  const n = ipv4Network(c.value);
  if (n) return n.bits !== undefined ? hostIn(n) : undefined;
  const n6 = ipv6Network(c.value);
  return n6 && n6.bits !== undefined ? hostIn6(n6) : undefined;
}

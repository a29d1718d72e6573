import type { Family } from '../knowledge/types.ts';
import { ipv4Network, ipv6Network } from '../knowledge/values/addresses.ts';
import type { Condition } from '../model/types.ts';

/** A source test that every address passes: `-s 0/0`, `-s ::/0` (iptables stores it as no test). */
export function anySource(family: Family, c: Condition): boolean {
  if (c.negated) return false;
  return family === 'ipv6' ? ipv6Network(c.value)?.bits === 0 : ipv4Network(c.value)?.mask === 0;
}

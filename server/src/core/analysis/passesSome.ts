import type { Family } from '../knowledge/types.ts';
import type { RuleSet } from '../model/types.ts';
import { letsOn, someWay } from '../simulate/evaluate.ts';
import type { Packet } from '../simulate/packet.ts';

/**
 * Whether filter `chain` (INPUT or OUTPUT) lets some packet crossing a link through: any
 * protocol, new or established. A family whose rules let none through blocks it on purpose
 * (a Tor gateway closing IPv6, an IPv4-only mode): what that loses, neighbour discovery or
 * the loopback interface, is part of the plan, not a mistake. The first way through that is
 * not refused answers it (see someWay).
 */
export function passesSome(rs: RuleSet, family: Family, chain: 'INPUT' | 'OUTPUT'): boolean {
  return (['NEW', 'ESTABLISHED'] as const).some((state) => {
    const packet: Packet = { family, state, origin: chain === 'INPUT' ? 'remote' : 'local', offLoopback: true, local: [] };
    return someWay(rs, 'filter', chain, packet, letsOn);
  });
}

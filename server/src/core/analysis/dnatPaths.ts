import type { Rule, RuleSet } from '../model/types.ts';
import { evaluateChain, type Outcome } from '../simulate/evaluate.ts';
import type { Packet } from '../simulate/packet.ts';
import { packetMatchedBy } from '../simulate/packetFromRule.ts';

export interface DnatCheck {
  dnat: Rule;
  /** The translated first packet, as FORWARD sees it. */
  packet: Packet;
  forward: Outcome[];
  /** The first reply from the server, state ESTABLISHED. */
  replies: Outcome[];
}

/**
 * For each DNAT in nat PREROUTING (and the user chains it reaches), the translated packet
 * of a new connection — new address and port, the rule's interface and protocol — through
 * filter FORWARD, and the server's reply. Shared by the diagnostic and by hover.
 */
export function dnatChecks(rs: RuleSet): DnatCheck[] {
  const out: DnatCheck[] = [];
  for (const cmd of rs.commands) {
    const rule = cmd.rule;
    const t = rule?.target;
    if (!rule || t?.name !== 'DNAT' || cmd.table !== 'nat' || cmd.kind === 'delete' || cmd.kind === 'check') continue;
    const to = t.options.find((o) => o.name === '--to-destination')?.values[0];
    if (!to || to.dynamic) continue;
    const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?/.exec(to.value);
    const dst = (m?.[1] ?? m?.[2] ?? '').split('-')[0];
    if (!dst) continue;
    // the connection the rule is written for, as it arrives; then as DNAT leaves it
    const arriving = packetMatchedBy(rule);
    const dport = m?.[3] ? Number(m[3]) : arriving.dport;
    const inIf = arriving.in;
    const proto = arriving.proto;
    const packet: Packet = { family: cmd.family, in: inIf, proto, dst, dport, state: 'NEW', origin: 'remote', local: [] };
    const forward = evaluateChain(rs, 'filter', 'FORWARD', packet);
    const reply: Packet = { family: cmd.family, out: inIf, proto, src: dst, sport: dport, state: 'ESTABLISHED', origin: 'remote', local: [] };
    const replies = evaluateChain(rs, 'filter', 'FORWARD', reply);
    out.push({ dnat: rule, packet, forward, replies });
  }
  return out;
}

/** Every branch ends in DROP or REJECT. */
export function alwaysDropped(outcomes: Outcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((o) => o.verdict === 'DROP' || o.verdict === 'REJECT');
}

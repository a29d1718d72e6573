import { FirewallDocument } from '../core/facade.ts';
import type { Family } from '../core/knowledge/types.ts';
import { decidingStep, tracePacket, type Outcome } from '../core/simulate/evaluate.ts';
import type { IpsetMembers } from '../core/simulate/ipsetMembers.ts';
import type { Packet } from '../core/simulate/packet.ts';

export interface SshConnection {
  clientIp: string;
  clientPort?: number;
  serverIp: string;
  serverPort: number;
  /** The host's interface towards this client, when known. */
  interface?: string;
}

export interface LockoutVerdict {
  /** `accept`: every path accepts; `drop`: every path drops or rejects; `uncertain`: it depends. */
  verdict: 'accept' | 'drop' | 'uncertain';
  /** The rules (save-file lines) that decide, for the message. */
  deciding: string[];
  /** Human summary. */
  summary: string;
}

/** The words for what decided each refused outcome: the rule's line, or the chain's policy. */
function decidersOf(afterText: string, outcomes: readonly Outcome[]): string[] {
  return [...new Set(outcomes.map((o) => {
    const last = decidingStep(o);
    if (last?.rule) return afterText.slice(last.rule.span.start, last.rule.span.end).trim();
    return last?.policy ? `${last.table}/${last.chain} policy ${last.policy}` : `${o.verdict}`;
  }))];
}

/**
 * Would the rules the host holds after the apply let this client open a NEW ssh connection?
 * Both halves are followed with the packet evaluator on the normalised after-apply text of the
 * connection's family: the client's SYN to the address and port in use, arriving on INPUT,
 * and the server's answer (state ESTABLISHED) leaving through OUTPUT; either dropped, the
 * session never comes up, and the one running the apply is cut. With the host's ipsets
 * (`sets`), a rule that allows ssh from the addresses of a set is decided by its members.
 */
export function lockoutCheck(afterText: string, family: Family, conn: SshConnection, sets?: ReadonlyMap<string, IpsetMembers>): LockoutVerdict {
  const doc = new FirewallDocument(afterText, { dialect: 'save', family });
  const packet: Packet = {
    family,
    proto: 'tcp',
    src: conn.clientIp,
    dst: conn.serverIp,
    dport: conn.serverPort,
    ...(conn.clientPort !== undefined ? { sport: conn.clientPort } : {}),
    ...(conn.interface ? { in: conn.interface } : {}),
    state: 'NEW',
    origin: 'remote',
    local: [conn.serverIp],
    ...(sets ? { sets } : {}),
  };
  const answer: Packet = {
    family,
    proto: 'tcp',
    src: conn.serverIp,
    sport: conn.serverPort,
    dst: conn.clientIp,
    ...(conn.clientPort !== undefined ? { dport: conn.clientPort } : {}),
    ...(conn.interface ? { out: conn.interface } : {}),
    state: 'ESTABLISHED',
    origin: 'local',
    local: [conn.serverIp],
    ...(sets ? { sets } : {}),
  };
  const halves = [tracePacket(doc.ruleSet, packet), tracePacket(doc.ruleSet, answer)];
  const denied = halves.map((outcomes) => outcomes.filter((o) => o.verdict !== 'ACCEPT'));
  const deciding = decidersOf(afterText, denied.flat());
  const what = `a new ssh connection from ${conn.clientIp} to ${conn.serverIp} port ${conn.serverPort}`;
  if (!deciding.length) return { verdict: 'accept', deciding: [], summary: `${what} is accepted` };
  const blocked = halves.findIndex((outcomes, i) => denied[i].length === outcomes.length);
  const how = blocked === 1 ? ' (the server\'s answers are dropped on the way out)' : '';
  if (blocked !== -1) return { verdict: 'drop', deciding, summary: `the new rules would block ${what}${how} (${deciding.join('; ')})` };
  return { verdict: 'uncertain', deciding, summary: `the new rules may block ${what}, depending on rules that cannot be decided offline (${deciding.join('; ')})` };
}

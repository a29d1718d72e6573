import { FirewallDocument } from '../core/facade.ts';
import type { Family } from '../core/knowledge/types.ts';
import { decidingStep, tracePacket } from '../core/simulate/evaluate.ts';
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

/**
 * Would the rules the host holds after the apply let this client open a NEW ssh connection
 * (a TCP SYN from the client's address to the address and port in use, arriving on INPUT)?
 * Uses the packet evaluator on the normalised after-apply text of the connection's family.
 */
export function lockoutCheck(afterText: string, family: Family, conn: SshConnection): LockoutVerdict {
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
  };
  const outcomes = tracePacket(doc.ruleSet, packet);
  const denied = outcomes.filter((o) => o.verdict !== 'ACCEPT');
  const deciding = [...new Set(denied.map((o) => {
    const last = decidingStep(o);
    if (last?.rule) return afterText.slice(last.rule.span.start, last.rule.span.end).trim();
    return last?.policy ? `${last.table}/${last.chain} policy ${last.policy}` : `${o.verdict}`;
  }))];
  const what = `a new ssh connection from ${conn.clientIp} to ${conn.serverIp} port ${conn.serverPort}`;
  if (!denied.length) return { verdict: 'accept', deciding: [], summary: `${what} is accepted` };
  if (denied.length === outcomes.length) return { verdict: 'drop', deciding, summary: `the new rules would block ${what} (${deciding.join('; ')})` };
  return { verdict: 'uncertain', deciding, summary: `the new rules may block ${what}, depending on rules that cannot be decided offline (${deciding.join('; ')})` };
}

import type { Rule, RuleSet, Table } from '../model/types.ts';
import { untracks } from '../simulate/evaluate.ts';
import { isLoopbackAddress, type Packet } from '../simulate/packet.ts';
import { packetMatchedBy } from '../simulate/packetFromRule.ts';
import { chainsReached } from './chainsReached.ts';
import { commandOfRule } from './commandOfRule.ts';
import { hostOfCondition } from './networkHost.ts';
import type { Fix } from './types.ts';

/**
 * The NOTRACK and `CT --notrack` rules of raw `hook` and of the user chains it reaches (a
 * chain of exemptions jumped to from PREROUTING is a common way to write them), in the order
 * the chains are reached; rules with shell expansions left out.
 */
export function untrackingRules(raw: Table, hook: 'PREROUTING' | 'OUTPUT'): Rule[] {
  const start = raw.chains.get(hook);
  if (!start) return [];
  const out: Rule[] = [];
  for (const chain of chainsReached(raw, start)) for (const r of chain.rules) if (untracks(r) && !r.dynamic) out.push(r);
  return out;
}

/**
 * The first packet of the connections a rule is written for, as raw's `hook` sees it: the
 * host's own for OUTPUT, another host's for PREROUTING (a rule of a user chain is judged by its
 * own tests, whatever jumps there may add).
 */
export function packetAtHook(rule: Rule, hook: 'PREROUTING' | 'OUTPUT'): Packet {
  return { ...packetMatchedBy(rule), origin: hook === 'OUTPUT' ? 'local' : 'remote' };
}

/**
 * `-m addrtype --dst-type LOCAL` after a NOTRACK rule's chain: it goes on untracking what is
 * for this host (its resolver, its NTP server), and leaves forwarded packets tracked.
 */
export function forHostOnlyFix(rs: RuleSet, notrack: Rule): Fix[] {
  const word = commandOfRule(rs, notrack)?.chainWord;
  if (!word || word.span.start < notrack.span.start || word.span.end > notrack.span.end) return [];
  return [{ title: 'Untrack only packets for this host (-m addrtype --dst-type LOCAL)', edits: [{ span: { start: word.span.end, end: word.span.end }, text: ' -m addrtype --dst-type LOCAL' }] }];
}

/**
 * Whether the packets a NOTRACK rule of raw PREROUTING is written for (`p`, see packetAtHook)
 * may be forwarded ones: not where it is for loopback (`-i lo`, 127.0.0.0/8, ::1: never forwarded),
 * nor where it names one destination address, most often one of this host's own (its resolver,
 * its NTP server), which the rules do not say.
 */
export function mayBeForwarded(notrack: Rule, p: Packet): boolean {
  if (p.in === 'lo' || p.dst !== undefined || (p.src !== undefined && isLoopbackAddress(p.src))) return false;
  const loopback = (c: Rule['source']) => {
    const host = hostOfCondition(c);
    return host !== undefined && isLoopbackAddress(host);
  };
  return !loopback(notrack.source) && !loopback(notrack.destination);
}

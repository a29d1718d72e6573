import type { Family } from '../../knowledge/types.ts';
import type { Rule, RuleSet } from '../../model/types.ts';
import { decidingRule, definiteVerdict, evaluateChain, type Outcome, plainestOutcome, refusedEveryWay } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactInterface } from '../../simulate/packetFromRule.ts';
import { chainsReached } from '../chainsReached.ts';
import { hostOfCondition } from '../networkHost.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { forHostOnlyFix, mayBeForwarded, packetAtHook, untrackingRules } from '../untrackingRules.ts';
import { EPHEMERAL_PORT } from '../../knowledge/values/ports.ts';

const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/** What refused an outcome, as a finding says it: a rule (its line goes in `related`) or the chain's policy. */
function decider(o: Outcome): { rule?: Rule; said: string } {
  const rule = decidingRule(o);
  if (!rule) return { said: `the ${o.verdict} policy drops them` };
  return { rule, said: `a rule ${rule.target?.name === 'REJECT' ? 'rejects' : 'drops'} them` };
}

/** The accept's state test that lists NEW: adding UNTRACKED beside it lets the untracked packets in as it meant to. */
function addUntrackedFix(accept: Rule | undefined): Fix[] {
  for (const m of accept?.matches ?? []) {
    if (m.name !== 'conntrack' && m.name !== 'state') continue;
    const o = m.options.find((x) => (x.name === '--ctstate' || x.name === '--state') && !x.negated);
    const w = o?.values[0];
    if (!w || w.dynamic || !w.value.toUpperCase().split(',').includes('NEW')) continue;
    return [{ title: `Accept untracked packets here too (${o!.name} ${w.value},UNTRACKED)`, edits: [{ span: { start: w.span.end, end: w.span.end }, text: ',UNTRACKED' }] }];
  }
  return [];
}

/** Incoming packets raw PREROUTING leaves untracked: a filter chain that takes them as NEW connections and drops them untracked. Whether it reported. */
function incoming(ctx: RuleContext, rule: Rule, p: Packet): boolean {
  const rs = ctx.ruleSet;
  for (const chain of ['INPUT', 'FORWARD']) {
    const asNew = evaluateChain(rs, 'filter', chain, { ...p, state: 'NEW' });
    if (definiteVerdict(asNew) !== 'ACCEPT') continue;
    const refused = refusedEveryWay(rs, 'filter', chain, { ...p, state: 'UNTRACKED' });
    if (!refused) continue;
    const accept = decidingRule(plainestOutcome(asNew)!);
    const drop = decider(refused);
    ctx.report({
      span: rule.span,
      message: `filter ${chain} lets these packets in as new connections${accept ? '' : ' by its policy'}, but this rule leaves them untracked (state UNTRACKED, which no state test of NEW or ESTABLISHED takes), and ${drop.said}. Accept UNTRACKED where NEW is accepted, or track them.`,
      related: [...(accept ? [{ span: accept.span, message: 'accepts them as NEW connections' }] : []), ...(drop.rule ? [{ span: drop.rule.span, message: 'drops them untracked' }] : [])],
      fixes: addUntrackedFix(accept),
    });
    return true;
  }
  return false;
}

/**
 * The answer to the first packet of a connection that has none to belong to: a UDP answer
 * starts a new one (NEW), a TCP SYN-ACK is INVALID (measured; later segments are picked up as
 * NEW). It is sent to the port the connection came from, one of the ephemeral range where
 * the packet names none.
 */
function answerTo(p: Packet): Packet {
  return { family: p.family, in: p.out, out: p.in, proto: p.proto, src: p.dst, sport: p.dport, dst: p.src, dport: p.sport ?? EPHEMERAL_PORT, state: p.proto === 'tcp' ? 'INVALID' : 'NEW', origin: 'remote', local: [], toHost: p.toHost === false ? false : undefined };
}

/** Answers filter drops: the state they arrive in, the accept that takes answers as ESTABLISHED, and what drops these. */
interface DroppedAnswers {
  state: string;
  accept?: Rule;
  drop: { rule?: Rule; said: string };
}

/**
 * Where filter `chain` accepts answers as ESTABLISHED and certainly drops these ones in the
 * state raw PREROUTING leaves them in (UNTRACKED where it untracks them too; the same on every
 * way through raw, or nothing is said).
 */
function droppedAnswers(rs: RuleSet, chain: 'INPUT' | 'FORWARD', answer: Packet): DroppedAnswers | undefined {
  const raw = evaluateChain(rs, 'raw', 'PREROUTING', answer);
  const state = raw[0]?.packet.state;
  if (!state || raw.some((o) => o.packet.state !== state || o.verdict !== 'ACCEPT')) return undefined;
  const asReplies = evaluateChain(rs, 'filter', chain, { ...answer, state: 'ESTABLISHED' });
  if (definiteVerdict(asReplies) !== 'ACCEPT') return undefined;
  const refused = refusedEveryWay(rs, 'filter', chain, { ...answer, state });
  if (!refused) return undefined;
  return { state, accept: decidingRule(plainestOutcome(asReplies)!), drop: decider(refused) };
}

/** The state such answers arrive in, as a finding says it. */
function arriving(d: DroppedAnswers): string {
  return `${d.state}${d.state === 'INVALID' ? ' (a SYN-ACK nothing asked for)' : ''}`;
}

/** The accept of answers and the drop, as a finding's related places. */
function answerPlaces(d: DroppedAnswers): { span: Rule['span']; message: string }[] {
  return [...(d.accept ? [{ span: d.accept.span, message: 'accepts answers as ESTABLISHED' }] : []), ...(d.drop.rule ? [{ span: d.drop.rule.span, message: `drops them as ${d.state}` }] : [])];
}

/** At most this many ways through filter FORWARD are tried for one NOTRACK rule. */
const MAX_WAYS = 32;

/** A way a forwarded packet may take through filter FORWARD: the packet, and the rule whose interfaces and networks it was given, if any. */
interface Way {
  packet: Packet;
  from?: Rule;
}

/**
 * The forwarded packets a NOTRACK rule of raw PREROUTING takes, as filter FORWARD may see
 * them: its own fields, and where it leaves them open, the interfaces and the network of each
 * rule of FORWARD (and the chains it reaches) in turn. The rules are all that says which side
 * of the router is which; its routes are not known, so a way given a rule's fields holds only
 * where that rule is on the packet's way through FORWARD (see forwardedAnswers).
 */
function forwardedWays(rs: RuleSet, p: Packet): Way[] {
  const base: Packet = { ...p, toHost: false };
  const out: Way[] = [{ packet: base }];
  const table = rs.tables.get(`${p.family}:filter`);
  const start = table?.chains.get('FORWARD');
  if (!table || !start) return out;
  const seen = new Set<string>();
  for (const chain of chainsReached(table, start)) {
    for (const r of chain.rules) {
      if (out.length >= MAX_WAYS) return out;
      const way: Packet = { ...base, in: base.in ?? exactInterface(r.inInterface), out: base.out ?? exactInterface(r.outInterface), src: base.src ?? hostOfCondition(r.source), dst: base.dst ?? hostOfCondition(r.destination) };
      const key = `${way.in}|${way.out}|${way.src}|${way.dst}`;
      if ((way.in !== undefined && way.in === way.out) || seen.has(key)) continue;
      seen.add(key);
      out.push({ packet: way, from: r });
    }
  }
  return out;
}

/**
 * Forwarded packets raw PREROUTING leaves untracked that filter FORWARD lets through: their
 * answers come back with no connection to belong to, where FORWARD lets answers through only
 * as ESTABLISHED. Packets a source NAT would translate are untracked-skips-nat's.
 */
function forwardedAnswers(ctx: RuleContext, rule: Rule, p: Packet): void {
  const rs = ctx.ruleSet;
  // the first packets of connections, sent to a service's port: a NOTRACK by address alone (or
  // by source port) also takes the replies of connections tracked the other way, whose next
  // packets are ESTABLISHED
  if (p.dport === undefined || p.sport !== undefined || !mayBeForwarded(rule, p)) return;
  for (const { packet: q, from } of forwardedWays(rs, p)) {
    // untracked on every way through raw (an `addrtype --dst-type LOCAL` test leaves forwarded ones tracked)
    const raw = evaluateChain(rs, 'raw', 'PREROUTING', q);
    if (!raw.length || raw.some((o) => o.packet.state !== 'UNTRACKED')) continue;
    const passed = evaluateChain(rs, 'filter', 'FORWARD', { ...q, state: 'UNTRACKED' });
    if (definiteVerdict(passed) !== 'ACCEPT') continue;
    // the interfaces given by a rule hold where the packet passes that rule
    if (from && !passed.every((o) => o.path.some((st) => st.rule === from))) continue;
    if (evaluateChain(rs, 'nat', 'POSTROUTING', q).some((o) => o.rewrites.source !== undefined)) continue;
    const dropped = droppedAnswers(rs, 'FORWARD', answerTo(q));
    if (!dropped) continue;
    const through = decidingRule(plainestOutcome(passed)!);
    ctx.report({
      span: rule.span,
      message: `Forwarded packets this rule leaves untracked pass filter FORWARD, but their answers have no connection to belong to: they arrive in state ${arriving(dropped)}, not ESTABLISHED, and ${dropped.drop.said} in filter FORWARD, which lets answers through only as ESTABLISHED. Untrack only packets for this host, or leave forwarded ones tracked.`,
      related: [...(through ? [{ span: through.span, message: 'lets the untracked packets through' }] : []), ...answerPlaces(dropped)],
      fixes: forHostOnlyFix(rs, rule),
    });
    return;
  }
}

/**
 * The host's own packets raw OUTPUT leaves untracked: their answers have no connection to
 * belong to (see answerTo), unless raw PREROUTING untracks the answers too.
 */
function answers(ctx: RuleContext, rule: Rule, p: Packet): void {
  // for the host: INPUT's rules read no outgoing interface
  const dropped = droppedAnswers(ctx.ruleSet, 'INPUT', { ...answerTo(p), out: undefined });
  if (!dropped) return;
  ctx.report({
    span: rule.span,
    message: `The answers to the packets this rule leaves untracked have no connection to belong to: they arrive in state ${arriving(dropped)}, not ESTABLISHED, and ${dropped.drop.said} in filter INPUT, which lets answers in only as ESTABLISHED. Untrack and accept the answers explicitly, or leave these packets tracked.`,
    related: answerPlaces(dropped),
  });
}

export const untrackedTrafficDropped: LintRule = {
  code: 'untracked-traffic-dropped',
  severity: 'warning',
  summary: 'A raw-table NOTRACK (or CT --notrack) whose packets, or their answers, filter drops: state tests of NEW and ESTABLISHED do not take untracked traffic.',
  docs: {
    description: 'Follows the packets each NOTRACK or `CT --notrack` rule of raw PREROUTING and raw OUTPUT (or of a chain they jump to) matches (its own protocol, addresses, ports and interfaces). For PREROUTING: where filter INPUT or FORWARD would accept them as new connections but drops them in state UNTRACKED (an accept that tests `--ctstate NEW`, then a DROP policy), the NOTRACK rule is reported, with a fix that adds UNTRACKED to that accept\'s states. For OUTPUT (the host\'s own packets): their answers come back with no connection to belong to, in state NEW (UDP and others) or INVALID (a TCP SYN-ACK), or UNTRACKED where raw PREROUTING untracks them too; where filter INPUT accepts answers in state ESTABLISHED and drops these, the NOTRACK rule is reported. For forwarded packets raw PREROUTING untracks that are the first of connections (the NOTRACK names a destination port and no source port; by address alone it also takes replies of connections tracked the other way; not one for loopback or for one destination address, most often the host\'s own) and certainly untracked on their way as the rules of filter FORWARD name it (their interfaces and networks: the analysis does not know the routes, and a way a rule names holds only where that rule is on the packet\'s way through), that FORWARD lets through untracked and no source NAT translates (those are untracked-skips-nat\'s): their answers come back the same way, and where FORWARD accepts answers in state ESTABLISHED and drops these, the NOTRACK rule is reported, with a fix that adds `-m addrtype --dst-type LOCAL` (packets for this host stay untracked, forwarded ones are tracked). Shell expansions and tests the analysis cannot decide leave a rule unreported.',
    rationale: 'NOTRACK is a common tuning for busy DNS and NTP servers, and it takes the packets out of connection tracking entirely: they are neither NEW nor ESTABLISHED but UNTRACKED, and nat does not see them. A rule set written around `--ctstate ESTABLISHED,RELATED` and `--ctstate NEW` accepts then drops them, and the service stops answering while every rule looks right. Measured with iptables 1.8.9 in network namespaces: a UDP service accepted with `--ctstate NEW` gets nothing once its port is untracked; a host that untracks its own queries loses every answer (UDP answers arrive as NEW, a TCP SYN-ACK as INVALID); a router routing without NAT (IPv6 most often) that untracks DNS for its own resolver also untracks its LAN\'s queries to resolvers outside, and FORWARD drops their answers the same way.',
    bad: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n' },
    good: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n' },
  },
  check(ctx) {
    const rs: RuleSet = ctx.ruleSet;
    for (const family of FAMILIES) {
      const raw = rs.tables.get(`${family}:raw`);
      if (!raw || !rs.tables.has(`${family}:filter`)) continue;
      for (const hook of ['PREROUTING', 'OUTPUT'] as const) {
        for (const rule of untrackingRules(raw, hook)) {
          const p = packetAtHook(rule, hook);
          if (hook === 'OUTPUT') answers(ctx, rule, p);
          else if (!incoming(ctx, rule, p)) forwardedAnswers(ctx, rule, p);
        }
      }
    }
  },
};

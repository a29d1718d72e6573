import { acceptsEstablished, acceptsNewOnly, establishedOnly, establishedOnlyWord } from '../acceptsEstablished.ts';
import type { Chain, Rule, RuleSet, Table } from '../../model/types.ts';
import type { Word } from '../../syntax/nodes.ts';
import { interfaceNameFor, ruleMatches } from '../../simulate/conditions.ts';
import { accepted, certainlyRefused, decidingRule, evaluateChain, type Outcome, refusedEveryWay, someWay } from '../../simulate/evaluate.ts';
import { exactInInterface, exactInterface, exactProtocol, packetMatchedBy } from '../../simulate/packetFromRule.ts';
import { chainsReached } from '../chainsReached.ts';
import { hostOfCondition } from '../networkHost.ts';
import type { Packet } from '../../simulate/packet.ts';
import { commandIndent, commandTool, lineStartOf } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { commandOfRule } from '../commandOfRule.ts';
import { protocolNumber } from '../../knowledge/protocols.ts';
import { inputClosing } from '../inputClosing.ts';
import { passesSome } from '../passesSome.ts';
import { EPHEMERAL_PORT } from '../../knowledge/values/ports.ts';

/**
 * An ICMP error about a connection of the host or one it forwards, the kind path MTU discovery
 * needs (fragmentation-needed, ICMPv6 packet-too-big): conntrack gives it the state RELATED.
 */
function mtuError(family: Chain['family']): Packet {
  return family === 'ipv4'
    ? { family, proto: 'icmp', icmpType: 3, icmpCode: 4, state: 'RELATED', origin: 'remote', local: [] }
    : { family, proto: 'ipv6-icmp', icmpType: 2, icmpCode: 0, state: 'RELATED', origin: 'remote', local: [] };
}

/**
 * Whether an accept of ESTABLISHED alone would take `error` (state RELATED) once RELATED is
 * added to it: the rule tested against the error as if it were ESTABLISHED (`-p tcp` keeps it out).
 */
function takesWithRelated(error: Packet): (r: Rule) => boolean {
  const asReply: Packet = { ...error, state: 'ESTABLISHED' };
  return (r) => ruleMatches(r, asReply) !== 'no';
}

/** Every way that ICMP error takes through the chain (`origin` local: the host's own, through OUTPUT). */
function relatedOutcomes(rs: RuleSet, chain: Chain, origin: Packet['origin'] = 'remote'): Outcome[] {
  return evaluateChain(rs, 'filter', chain.name, { ...mtuError(chain.family), origin });
}

/**
 * Every way through the chain accepts the ICMP error about no connection in particular: so
 * does every way for the error about any one connection (its interfaces and addresses only
 * take ways away), which need not be followed then.
 */
function acceptedEverywhere(outcomes: readonly Outcome[]): boolean {
  return outcomes.every((o) => o.verdict === 'ACCEPT');
}

/** Replies arriving on `in`, and for FORWARD leaving through `out` when the rule names it. */
interface ReplyWay {
  in: string;
  out?: string;
}

/**
 * The ways in a rule of the chain (or of a chain it jumps to) drops or rejects everything
 * arriving on, as far as its own tests go: `-i eth0 -j DROP`, with other tests or not, and
 * `-i eth0 -o docker0 -j DROP` for what goes on to docker0. `lo` is left out: the host's
 * replies to itself are its own business.
 */
function droppedWays(rs: RuleSet, chain: Chain, seen = new Set<string>(), out = new Map<string, ReplyWay>()): Map<string, ReplyWay> {
  seen.add(chain.name);
  const rules = chain.rules;
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k];
    const t = r.target;
    if (!t) continue;
    const i = r.inInterface;
    if ((t.name === 'DROP' || t.name === 'REJECT') && i && !i.negated && !i.word.dynamic && i.value !== 'lo') {
      const o = r.outInterface;
      const way: ReplyWay = { in: interfaceNameFor(i.value) };
      if (o && !o.negated && !o.word.dynamic) way.out = interfaceNameFor(o.value);
      out.set(`${way.in} ${way.out ?? ''}`, way);
    } else if (!t.spec && !seen.has(t.name)) {
      const callee = rs.tables.get(`${chain.family}:${chain.table}`)?.chains.get(t.name);
      if (callee) droppedWays(rs, callee, seen, out);
    }
  }
  return out;
}

/**
 * Some new connection leaves through `way.in` (from `way.out`, when named): forwarded (FORWARD
 * lets one out there) or the host's own (OUTPUT lets one out there). Its replies come back in
 * on that interface.
 */
function connectionsLeaveThrough(rs: RuleSet, chain: Chain, way: ReplyWay): boolean {
  const forward = chain.name === 'FORWARD';
  const packet: Packet = { family: chain.family, out: way.in, state: 'NEW', origin: forward ? 'remote' : 'local', local: [] };
  if (forward && way.out) packet.in = way.out;
  return someWay(rs, 'filter', forward ? 'FORWARD' : 'OUTPUT', packet, accepted);
}

/** Some new connection from another host is let through FORWARD (by some rule, under some conditions). */
function forwardsConnections(rs: RuleSet, chain: Chain): boolean {
  const packet: Packet = { family: chain.family, state: 'NEW', origin: 'remote', local: [] };
  return someWay(rs, 'filter', chain.name, packet, accepted);
}

/**
 * An interface other than the one a rule names: a reply leaves through the interface its
 * connection came in on, and comes in on another. No real interface has this name; only `-i +`
 * (any interface) and negated tests match it.
 */
const ELSEWHERE = '(elsewhere)';
/** Hosts on the far side of a forwarded connection whose rule names no address (documentation ranges). */
const FAR: Record<Chain['family'], [string, string]> = { ipv4: ['198.51.100.1', '203.0.113.1'], ipv6: ['2001:db8::1', '2001:db8::2'] };
/** Accepting rules whose replies are followed; past them FORWARD is judged as before, without the replies of each. */
const MAX_ACCEPTS = 200;

/**
 * A rule of FORWARD (or of a chain it reaches) that accepts new connections whose replies
 * FORWARD then drops on every way through: the replies of the connection the rule is written
 * for (its interfaces, addresses, protocol and port, the hosts it does not name taken from
 * documentation ranges) come in on the interface it went out on and go out on the one it came
 * in on. Undefined where every connection's replies get through (rules for both directions,
 * `-i eth1 -o eth0` and `-i eth0 -o eth1`, with no state test); `true` past MAX_ACCEPTS rules.
 */
function forwardedRepliesDropped(rs: RuleSet, chain: Chain): Rule | true | undefined {
  for (const c of forwardedConnections(rs, chain)) {
    if (c === true) return true;
    if (refusedEveryWay(rs, 'filter', chain.name, replyTo(c.first))) return c.rule;
  }
  return undefined;
}

/** A reply (state ESTABLISHED) to the connection that starts with `first`. */
function replyTo(first: Packet): Packet {
  const reply: Packet = { family: first.family, proto: first.proto ?? 'tcp', src: first.dst, dst: first.src, state: 'ESTABLISHED', origin: 'remote', local: [] };
  backWay(first, reply);
  if (first.dport !== undefined) reply.sport = first.dport;
  // the connection's own port, on the side that opened it: one of Linux's ephemeral ports
  if (reply.proto === 'tcp' || reply.proto === 'udp') reply.dport = first.sport ?? EPHEMERAL_PORT;
  return reply;
}

/**
 * The ICMP error a router on the way sends back about a connection one of FORWARD's rules
 * accepts (fragmentation-needed for a packet the opener sent too big), where every way drops
 * it: it comes in on the interface the connection went out on, to the opener, from the side
 * the connection went to (its destination's address stands for the router's, which no rule can
 * know). Reported where the replies to that connection are accepted by a rule of ESTABLISHED
 * without RELATED that would take the errors too with RELATED added (`only`), or where a rule
 * about ICMP drops the error. The first such error; undefined where none, or past MAX_ACCEPTS
 * accepting rules. Asked only where the error of no connection in particular may get through
 * (`-i eth1 -o eth0 -j ACCEPT` may take it, as far as its interfaces are unknown).
 */
function forwardedErrorRefused(rs: RuleSet, chain: Chain): { refused: Outcome; only?: Word; unfixable?: boolean } | undefined {
  for (const c of forwardedConnections(rs, chain)) {
    if (c === true) return undefined;
    const error: Packet = { ...mtuError(chain.family), src: c.first.dst, dst: c.first.src };
    backWay(c.first, error);
    const refused = refusedEveryWay(rs, 'filter', chain.name, error);
    if (!refused) continue;
    // an accept of the replies (`-p tcp` aside: with RELATED it still takes no ICMP)
    const takes = takesWithRelated(error);
    for (const o of evaluateChain(rs, 'filter', chain.name, replyTo(c.first))) {
      const rule = o.verdict === 'ACCEPT' ? decidingRule(o) : undefined;
      const only = rule && takes(rule) ? establishedOnlyWord(rule) : undefined;
      if (only) return { refused, only };
    }
    const rule = decidingRule(refused);
    if (rule && aboutIcmp(rule)) return { refused };
  }
  return undefined;
}

/**
 * The accept of ESTABLISHED without RELATED to report where the chain drops the ICMP errors:
 * the first that would take them with RELATED added; else the first, whose protocol (`-p tcp`)
 * keeps them out even then (`unfixable`: RELATED added to it is no fix).
 */
function relatedLeftOut(rs: RuleSet, chain: Chain): { only?: Word; unfixable?: boolean } {
  const taking = establishedOnly(rs, chain, takesWithRelated(mtuError(chain.family)));
  return taking ? { only: taking } : { only: establishedOnly(rs, chain), unfixable: true };
}

/**
 * A router's own ICMP errors about the connections it forwards (fragmentation-needed when the
 * next link is too small for a packet of the opener's) leave through filter OUTPUT in state
 * RELATED. Where OUTPUT is closed and its accept of ESTABLISHED leaves RELATED out, the first
 * such accept that would take them with RELATED added, for the first connection FORWARD
 * accepts whose error every way through OUTPUT drops. Nothing for a host that forwards nothing,
 * nor for an OUTPUT without an accept of ESTABLISHED (its own replies are dropped: the SSH
 * lockout check says so).
 */
function routerErrorsDropped(rs: RuleSet, t: Table): { only: Word } | undefined {
  const forward = t.chains.get('FORWARD');
  const output = t.chains.get('OUTPUT');
  if (!forward || !output || !(output.policy === 'DROP' || inputClosing(output, t)) || !acceptsEstablished(rs, output)) return undefined;
  if (acceptedEverywhere(relatedOutcomes(rs, output, 'local')) || !forwardsConnections(rs, forward)) return undefined;
  for (const c of forwardedConnections(rs, forward)) {
    if (c === true) return undefined;
    const error: Packet = { ...mtuError(t.family), origin: 'local', offLoopback: true, dst: c.first.src };
    if (c.first.in) error.out = c.first.in;
    if (!refusedEveryWay(rs, 'filter', 'OUTPUT', error)) continue;
    const only = establishedOnly(rs, output, takesWithRelated(error));
    if (only) return { only };
  }
  return undefined;
}

/** `back` travels against `first`: in on the interface `first` leaves through, out through the one it came in on (ELSEWHERE for the one it does not name). */
function backWay(first: Packet, back: Packet): void {
  const into = first.out ?? (first.in ? ELSEWHERE : undefined);
  const outOf = first.in ?? (first.out ? ELSEWHERE : undefined);
  if (into) back.in = into;
  if (outOf) back.out = outOf;
}

/**
 * The new connections FORWARD (or a chain it reaches) accepts, one per accepting rule that one
 * reaches: the rule, and the first packet of the connection it is written for (its interfaces,
 * addresses, protocol and port, with those the rules on the way test; hosts it does not name
 * taken from documentation ranges). `true` last where there are more than MAX_ACCEPTS.
 */
function* forwardedConnections(rs: RuleSet, chain: Chain): Generator<{ rule: Rule; first: Packet } | true> {
  const table = rs.tables.get(`${chain.family}:filter`);
  if (!table) return;
  let accepts = 0;
  for (const c of chainsReached(table, chain)) {
    for (const rule of c.rules) {
      if (rule.target?.name !== 'ACCEPT' || rule.dynamic) continue;
      if (++accepts > MAX_ACCEPTS) {
        yield true;
        return;
      }
      const first = packetMatchedBy(rule);
      first.src ??= hostOfCondition(rule.source) ?? FAR[rule.family][0];
      first.dst ??= hostOfCondition(rule.destination) ?? FAR[rule.family][1];
      // a rule no new connection reaches has no replies
      const way = evaluateChain(rs, 'filter', chain.name, first).find((o) => o.verdict === 'ACCEPT' && decidingRule(o) === rule);
      if (!way) continue;
      // what the rules on the way there test (`-A FORWARD -i eth1 -j lan_out`, then `-A lan_out -j ACCEPT`)
      for (const a of way.assumptions) {
        if (!a.matched) continue;
        first.in ??= exactInInterface(a.rule);
        first.out ??= exactInterface(a.rule.outInterface);
        first.proto ??= exactProtocol(a.rule);
      }
      yield { rule, first };
    }
  }
}

/**
 * The rule that drops every reply arriving on an interface that connections leave through,
 * before the chain's accept of ESTABLISHED can take it (Docker's DOCKER-USER with
 * `-i eth0 -j DROP`, or `-i eth0 -o docker0 -j DROP`, which cuts the containers off the
 * internet): that rule and the way the replies take.
 */
function repliesDroppedBefore(rs: RuleSet, chain: Chain): { rule: Rule; way: ReplyWay } | undefined {
  for (const way of droppedWays(rs, chain).values()) {
    const reply: Packet = { family: chain.family, in: way.in, state: 'ESTABLISHED', origin: 'remote', local: [] };
    if (way.out) reply.out = way.out;
    const refused = refusedEveryWay(rs, 'filter', chain.name, reply);
    const rule = refused && decidingRule(refused);
    if (rule && connectionsLeaveThrough(rs, chain, way)) return { rule, way };
  }
  return undefined;
}

export const missingEstablishedRule: LintRule = {
  code: 'missing-established-rule',
  severity: 'warning',
  summary: 'INPUT or FORWARD drops replies: a DROP policy with no accept of ESTABLISHED,RELATED, a rule that drops them before that accept, or RELATED left out (there, or in the OUTPUT of a router, which sends ICMP errors about what it forwards).',
  docs: {
    description: 'Reports the policy of filter INPUT or FORWARD when it is DROP and no rule of the chain (or of a chain it jumps to) accepts packets in state ESTABLISHED; where the policy accepts, the chain\'s last rule when it drops or rejects every packet (`-A INPUT -j DROP`, `-A INPUT -j REJECT --reject-with icmp-host-prohibited`), itself or through the user chain it sends every packet to (`-A INPUT -j LOGDROP`, where LOGDROP logs and then drops, with no RETURN). FORWARD is reported only when the replies of some connection it lets through are dropped: for each rule that accepts new connections, the reply to the connection it is written for (its interfaces swapped, its addresses and ports, hosts it does not name taken from documentation ranges, the opener\'s port an ephemeral one) is followed through FORWARD, and the rule whose replies every way drops is named in the related information. A host that forwards nothing (a server\'s `:FORWARD DROP`) has no replies to lose, and rules that accept both ways without a state test (`-i eth1 -o ppp0 -s LAN` and `-i ppp0 -o eth1 -d LAN`, as older router scripts write them) let the replies through; those scripts are open from outside instead (see lan-reachable-from-wan). Where ESTABLISHED packets are accepted but an ICMP error about a connection (state RELATED: fragmentation-needed, ICMPv6 packet-too-big) is dropped, the accept of ESTABLISHED is reported (in FORWARD, the error about each connection a rule accepts, sent by a router on its way: it comes back in on the interface the connection left through, so `-i eth1 -o eth0 -j ACCEPT` for the LAN\'s connections does not take the errors about them), with a fix that adds RELATED to it (the first such accept that would then take the errors: one of `-p tcp` alone is reported without the fix, as RELATED would let no ICMP through it); where RELATED is accepted but a rule about ICMP met before drops that error (`-p icmp -j DROP`), that rule is reported, with a fix that accepts ICMP in state RELATED just before it. On a router (a FORWARD that lets new connections through) whose OUTPUT is closed, the accept of ESTABLISHED in OUTPUT is reported the same way where it leaves RELATED out and the router\'s own ICMP error about a connection it forwards (fragmentation-needed when the next link is too small, sent to the opener through the interface the connection came in on) is dropped. Where ESTABLISHED is accepted but a rule met before that accept drops or rejects every reply arriving on an interface that connections leave through (forwarded ones for FORWARD, the host\'s own for INPUT; in FORWARD also the replies going on to one interface, `-i eth0 -o docker0`, when connections from there leave that way), that rule is reported, with a fix that accepts those replies just before it.',
    rationale: 'Without it, replies to connections the host or the network opened are dropped: DNS answers, downloads and forwarded sessions hang, and each service needs rules for both directions. Docker\'s DOCKER-USER is the usual place for the second kind: `-A DOCKER-USER -i eth0 -j DROP`, meant to close the containers to the outside, also drops the answers to their own connections, and they lose the internet. Without RELATED, the ICMP errors about those connections are dropped: path MTU discovery fails, and transfers stall once packets grow beyond a smaller link on the way (a VPN, PPPoE, most of all over IPv6, where routers never fragment).',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const t of rs.tables.values()) {
      if (t.name !== 'filter') continue;
      const own = routerErrorsDropped(rs, t);
      if (own) {
        ctx.report({
          span: own.only.span,
          message: `OUTPUT accepts ESTABLISHED but not RELATED packets: the ICMP errors this router sends about the connections it forwards (${t.family === 'ipv4' ? 'fragmentation-needed' : 'packet-too-big'} to a host whose packets are too big for the next link) are dropped, so path MTU discovery fails for them and large transfers stall. Accept ESTABLISHED,RELATED.`,
          fixes: relatedFix(own.only),
        });
      }
      for (const name of ['INPUT', 'FORWARD']) {
        const chain = t.chains.get(name);
        if (!chain) continue;
        const accepts = acceptsEstablished(rs, chain);
        const early = accepts ? repliesDroppedBefore(rs, chain) : undefined;
        if (early) {
          ctx.report({
            span: early.rule.span,
            message: `This rule drops the replies arriving on ${early.way.in} to connections that ${name === 'INPUT' ? 'the host opens' : `FORWARD lets out${early.way.out ? ` from ${early.way.out}` : ''}`} through ${early.way.in} (state ESTABLISHED): they never reach the ESTABLISHED,RELATED accept further on. Accept them before it.`,
            fixes: acceptRepliesFirst(ctx, early.rule, early.way),
          });
        }
        // closed by its DROP policy, or else by a last rule that drops or rejects every packet
        const closing = chain.policy === 'DROP' && chain.policySpan ? { span: chain.policySpan, rule: undefined, refuses: undefined } : inputClosing(chain, t);
        if (!closing) continue;
        if (!accepts) {
          // a family closed both ways on purpose (ip6tables -P INPUT DROP, -P OUTPUT DROP and
          // no rule: IPv6 off) opens no connections and has no replies to lose
          if (name === 'INPUT' && !passesSome(rs, t.family, 'INPUT') && !passesSome(rs, t.family, 'OUTPUT')) continue;
          // a FORWARD that lets no new connection through has no replies to drop (a server's
          // `:FORWARD DROP`), nor one whose rules accept both ways of each
          const dropped = name === 'FORWARD' ? forwardsConnections(rs, chain) && forwardedRepliesDropped(rs, chain) : undefined;
          if (name === 'FORWARD' && !dropped) continue;
          // connections accepted in state NEW alone lose the rest of their packets too
          const newOnly = acceptsNewOnly(rs, chain);
          const replies = `replies to ${name === 'INPUT' ? 'the host\'s own' : 'forwarded'} connections are dropped${newOnly ? ', and so is every packet but the first of the connections accepted in state NEW alone' : ''}. Add -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT first.`;
          const related = [
            ...(dropped && dropped !== true ? [{ span: dropped.span, message: 'This rule accepts connections whose replies FORWARD then drops.' }] : []),
            ...(newOnly ? [{ span: newOnly.span, message: 'This rule accepts the first packet of new connections only.' }] : []),
          ];
          ctx.report({
            ...(related.length ? { related } : {}),
            span: closing.span,
            message: closing.rule
              ? `${name} ends with this rule, which ${closing.refuses?.target?.name === 'REJECT' ? 'rejects' : 'drops'} every packet that reaches it${closing.refuses && closing.refuses !== closing.rule ? ` (in chain ${closing.refuses.chain})` : ''}, and no rule accepts ESTABLISHED,RELATED packets: ${replies}`
              : `${name} drops by default but no rule accepts ESTABLISHED,RELATED packets: ${replies}`,
          });
          continue;
        }
        // the evaluation first: where RELATED is accepted (nearly always) it ends at that rule
        const ways = relatedOutcomes(rs, chain);
        const generic = certainlyRefused(ways);
        const dropped = generic ? { refused: generic, ...relatedLeftOut(rs, chain) } : name === 'FORWARD' && !acceptedEverywhere(ways) ? forwardedErrorRefused(rs, chain) : undefined;
        if (!dropped) continue;
        const { refused, only } = dropped;
        if (!only) {
          // RELATED is accepted, but a rule about ICMP met before drops the errors (`-p icmp -j
          // DROP`); a rule that drops everything there is unreachable-rule's finding
          const rule = decidingRule(refused);
          if (!rule || !aboutIcmp(rule)) continue;
          const error = t.family === 'ipv4' ? 'fragmentation-needed' : 'packet-too-big';
          ctx.report({
            span: rule.span,
            message: `This rule drops ICMP errors about ${name === 'INPUT' ? 'the host\'s' : 'forwarded'} connections (${error}, state RELATED) before the accept of RELATED further on: path MTU discovery fails and large transfers stall. Accept them before it.`,
            fixes: acceptIcmpErrorsFirst(ctx, rule),
          });
          continue;
        }
        ctx.report({
          span: only.span,
          message: `${name} accepts ESTABLISHED but not RELATED packets: ICMP errors about ${name === 'INPUT' ? 'the host\'s' : 'forwarded'} connections (${t.family === 'ipv4' ? 'fragmentation-needed' : 'packet-too-big'}) are dropped, so path MTU discovery fails and large transfers stall. Accept ESTABLISHED,RELATED.`,
          fixes: dropped.unfixable ? undefined : relatedFix(only),
        });
      }
    }
  },
};

/**
 * An accept of the replies on that interface just before the rule that drops them: its line
 * in a save file; in a script, a line before the command that appended it (same tool word
 * and indentation). An insert (`-I`) is left to the user: its place depends on the rules around.
 */
function acceptRepliesFirst(ctx: RuleContext, rule: Rule, way: ReplyWay): Fix[] {
  return insertBefore(ctx, rule, `-i ${way.in}${way.out ? ` -o ${way.out}` : ''} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`, `Accept replies arriving on ${way.in} first`);
}

/** A rule of `spec` added to `rule`'s chain just before it: a line of its own in a save file, a command of the same tool in a script. */
function insertBefore(ctx: RuleContext, rule: Rule, spec: string, title: string): Fix[] {
  if (ctx.ruleSet.dialect === 'save') {
    const at = ctx.text.lastIndexOf('\n', rule.span.start - 1) + 1;
    return [{ title, edits: [{ span: { start: at, end: at }, text: `-A ${rule.chain} ${spec}\n` }] }];
  }
  const cmd = commandOfRule(ctx.ruleSet, rule);
  if (!cmd || cmd.kind !== 'append') return [];
  const at = lineStartOf(ctx.text, cmd);
  const indent = commandIndent(ctx.text, cmd);
  const tool = commandTool(ctx.text, cmd);
  if (!tool) return [];
  // a rule of filter (the only table checked): no -t to write
  return [{ title, edits: [{ span: { start: at, end: at }, text: `${indent}${tool} -A ${rule.chain} ${spec}\n` }] }];
}

/** The rule tests for ICMP (ICMPv6), not negated. */
function aboutIcmp(rule: Rule): boolean {
  const p = rule.protocol;
  if (!p || p.negated || p.word.dynamic) return false;
  const n = protocolNumber(p.value);
  return n === 1 || n === 58;
}

/** An accept of ICMP errors about known connections (state RELATED) just before the rule that drops them. */
function acceptIcmpErrorsFirst(ctx: RuleContext, rule: Rule): Fix[] {
  return insertBefore(ctx, rule, `-p ${rule.family === 'ipv4' ? 'icmp' : 'ipv6-icmp'} -m conntrack --ctstate RELATED -j ACCEPT`, 'Accept ICMP errors about known connections first');
}

/** `ESTABLISHED` (or `"ESTABLISHED"`) becomes `ESTABLISHED,RELATED`; a value read from a variable is fixed where it is set. */
function relatedFix(w: Word): Fix[] | undefined {
  if (w.text.includes('$')) return undefined;
  const quoted = /^(["'])(.*)\1$/.exec(w.text);
  return [{ title: 'Accept RELATED too', edits: [{ span: w.span, text: quoted ? `${quoted[1]}${quoted[2]},RELATED${quoted[1]}` : `${w.text},RELATED` }] }];
}

import type { Family } from '../../knowledge/types.ts';
import type { Rule, RuleSet } from '../../model/types.ts';
import { ruleMatches } from '../../simulate/conditions.ts';
import { decidingRule, evaluateChain, plainestOutcome } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactInterface, exactProtocol, packetMatchedBy } from '../../simulate/packetFromRule.ts';
import { chainFacts, hooksReachingChain } from '../chainGraph.ts';
import { dnatGroups } from '../dnatGroups.ts';
import { hostOfCondition } from '../networkHost.ts';
import { sourceNatRules } from '../sourceNatRules.ts';
import { forHostOnlyFix, mayBeForwarded, packetAtHook, untrackingRules } from '../untrackingRules.ts';
import type { LintRule, RuleContext } from '../types.ts';

const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];
const HOOKS = ['PREROUTING', 'OUTPUT'] as const;
type Hook = (typeof HOOKS)[number];

/** What raw's rules can tell apart of such a packet: translations written for the same kind are followed once. */
function kindOf(p: Packet): string {
  return `${p.in}|${p.proto}|${p.src}|${p.sport}|${p.dst}|${p.dport}`;
}

/** The protocols the NOTRACK rules name (`tcp,udp`), or `*` where one names none (or negates it). */
function untrackedProtocols(untracking: readonly Rule[]): string {
  const names = new Set<string>();
  for (const r of untracking) {
    const p = exactProtocol(r);
    if (!p) return '*';
    names.add(p);
  }
  return [...names].sort().join(',');
}

/** A translation in nat `hook` or a chain it reaches. */
function seenFrom(rs: RuleSet, rule: Rule, hook: Hook): boolean {
  return rule.chain === hook || hooksReachingChain(rs, rule.family, 'nat', rule.chain).includes(hook);
}

/** The NOTRACK rule that certainly leaves the packet untracked in raw `hook`, if one does. */
function untrackedBy(rs: RuleSet, p: Packet, hook: Hook, untracking: readonly Rule[]): Rule | undefined {
  const outcomes = evaluateChain(rs, 'raw', hook, p);
  if (!outcomes.length || outcomes.some((o) => o.packet.state !== 'UNTRACKED')) return undefined;
  return untracking.find((r) => ruleMatches(r, p) !== 'no');
}

function report(ctx: RuleContext, notrack: Rule, translation: Rule): void {
  const what = translation.target!.name;
  ctx.report({
    span: notrack.span,
    message: `This rule leaves untracked the connections the ${what} in nat ${translation.chain} is written for, and untracked packets skip the nat table: they stay addressed to where they were sent, and the ${what} never applies. Leave them tracked, or untrack only what no translation is for.`,
    related: [{ span: translation.span, message: 'never sees the packets the NOTRACK takes' }],
  });
}

/**
 * The first packets of forwarded connections that both a raw PREROUTING rule and a source NAT
 * rule are written for, to be confirmed by evaluating both: each field one of them names
 * exactly (the NOTRACK's first), an address a host of the network either names (the source
 * NAT's first, the narrower as a rule), leaving by the interface the source NAT names or,
 * where it names none, by each that nat POSTROUTING's rules name (the `-o` of a jump to its
 * chain), anything else unknown. None where the packet would leave by the interface it came
 * in on (not what a source NAT for a LAN is about), or where the NOTRACK's packets are not
 * forwarded ones (see mayBeForwarded).
 */
function forwardedFor(notrack: Rule, snat: Rule, outs: readonly string[]): Packet[] {
  const a = packetMatchedBy(notrack);
  const b = packetMatchedBy(snat);
  if (!mayBeForwarded(notrack, a)) return [];
  const srcs = new Set([a.src ?? b.src ?? hostOfCondition(snat.source), hostOfCondition(notrack.source)]);
  const dsts = new Set([b.dst ?? hostOfCondition(snat.destination), hostOfCondition(notrack.destination)]);
  const out: Packet[] = [];
  for (const iface of b.out !== undefined ? [b.out] : [undefined, ...outs]) {
    if (a.in !== undefined && a.in === iface) continue;
    for (const src of srcs) {
      for (const dst of dsts) {
        if ((src === undefined && srcs.size > 1) || (dst === undefined && dsts.size > 1)) continue;
        // known to be for another host: raw's `addrtype --dst-type LOCAL` leaves it out
        out.push({ ...a, out: iface, proto: a.proto ?? b.proto, sport: a.sport ?? b.sport, dport: a.dport ?? b.dport, src, dst, origin: 'remote', toHost: false });
      }
    }
  }
  return out;
}

/** The source NAT rule that translates every way of the packet through nat POSTROUTING, if one does. */
function translatedBy(rs: RuleSet, p: Packet): Rule | undefined {
  const outcomes = evaluateChain(rs, 'nat', 'POSTROUTING', p);
  if (!outcomes.length || outcomes.some((o) => o.rewrites.source === undefined)) return undefined;
  return decidingRule(plainestOutcome(outcomes)!);
}

function reportForwarded(ctx: RuleContext, notrack: Rule, translation: Rule): void {
  const what = translation.target!.name;
  ctx.report({
    span: notrack.span,
    message: `This rule leaves untracked forwarded packets that the ${what} in nat ${translation.chain} is written for, and untracked packets skip the nat table: they leave with the source address they came with, and the answers to a private one do not find their way back. Untrack only packets for this host, or leave them tracked.`,
    related: [{ span: translation.span, message: 'never sees the packets the NOTRACK takes' }],
    fixes: forHostOnlyFix(ctx.ruleSet, notrack),
  });
}

/** NOTRACK rules of raw PREROUTING that take forwarded connections a SNAT or MASQUERADE is written for. */
function checkSourceNat(ctx: RuleContext, family: Family, untracking: readonly Rule[], reported: Set<Rule>): void {
  const rs = ctx.ruleSet;
  const sourceNat = sourceNatRules(rs, family).filter((r) => !r.dynamic);
  if (!sourceNat.length) return;
  const outs = new Set<string>();
  for (const r of rs.tables.get(`${family}:nat`)?.chains.get('POSTROUTING')?.rules ?? []) {
    const o = exactInterface(r.outInterface);
    if (o) outs.add(o);
  }
  for (const notrack of untracking) {
    if (reported.has(notrack)) continue;
    for (const snat of sourceNat) {
      let found: { by: Rule; translation: Rule } | undefined;
      for (const p of forwardedFor(notrack, snat, [...outs])) {
        const by = untrackedBy(rs, p, 'PREROUTING', untracking);
        const translation = by && !reported.has(by) ? translatedBy(rs, p) : undefined;
        if (by && translation) {
          found = { by, translation };
          break;
        }
      }
      if (!found) continue;
      reported.add(found.by);
      reportForwarded(ctx, found.by, found.translation);
      break;
    }
  }
}

export const untrackedSkipsNat: LintRule = {
  code: 'untracked-skips-nat',
  severity: 'warning',
  summary: 'A raw-table NOTRACK (or CT --notrack) taking packets that a DNAT, REDIRECT, SNAT or MASQUERADE of the nat table is written for: untracked packets never reach nat, so the port forward never happens, or forwarded packets leave with their private source.',
  docs: {
    description: 'Follows the connections each DNAT, REDIRECT or NETMAP of nat PREROUTING (or nat OUTPUT, and the chains they reach) is written for (its interface, protocol, addresses and ports) through raw PREROUTING (or raw OUTPUT). Where every way through leaves them untracked (a NOTRACK or `CT --notrack`), that rule is reported, once, naming the translation it takes them from. Then each NOTRACK of raw PREROUTING (and the chains it reaches) is paired with each SNAT and MASQUERADE of nat POSTROUTING (and the chains it reaches): the first packet of a forwarded connection both are written for (what each names, a host of a network either names, leaving by the source NAT\'s interface or one POSTROUTING names) is followed through raw PREROUTING and nat POSTROUTING, and where it is certainly untracked and certainly translated, the NOTRACK is reported with a fix that adds `-m addrtype --dst-type LOCAL` (it goes on untracking packets for this host, and leaves forwarded ones tracked). A NOTRACK for loopback, for one destination address (most often the host\'s own), or for packets arriving by the interface the translation sends out of is not paired; the host\'s own packets (raw OUTPUT) already carry its address. Shell expansions and tests the analysis cannot decide leave a rule unreported.',
    rationale: 'NAT works on connections: the nat table sees the first packet of each tracked connection and nothing else, and an untracked packet is no connection. A NOTRACK added for speed on a port that a DNAT forwards (a game server, a DNS forwarder) makes the packets go on to the address they were sent to, the router itself, where nothing answers, while the DNAT rule looks right and counts nothing. Measured with iptables 1.8.9 in network namespaces: the client\'s connection reaches the router\'s own port instead of the server (the trace\'s kernel lab has the same scenario). The same holds for source NAT: a router that untracks DNS (`-p udp --dport 53 -j NOTRACK`) to spare its own resolver the connection table also untracks the queries its LAN sends to a resolver outside, and those leave with their private source address, which nothing on the internet routes back; measured the same way, a LAN host\'s connection out through a MASQUERADE goes unanswered once raw untracks it, and is answered with `-m addrtype --dst-type LOCAL` in the NOTRACK.',
    bad: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\niptables -t raw -A PREROUTING -p udp --dport 27015 -j NOTRACK\n' },
    good: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -i eth0 -p udp --dport 27015 -j DNAT --to-destination 192.168.1.20\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const family of FAMILIES) {
      const raw = rs.tables.get(`${family}:raw`);
      if (!raw || !rs.tables.has(`${family}:nat`)) continue;
      for (const hook of HOOKS) {
        const untracking = untrackingRules(raw, hook);
        if (!untracking.length) continue;
        const reported = new Set<Rule>();
        // a kube-proxy dump's 27k DNATs are written for a few kinds of packet (`-p tcp` and
        // nothing else): grouped by kind (the same for both hooks), kept across edits, each
        // kind followed through raw once
        // only DNATs of a protocol some NOTRACK rule names (all, where one names none) can be untracked
        const protocols = untrackedProtocols(untracking);
        const kinds = dnatGroups(chainFacts(rs), `untracked-skips-nat:${family}:${protocols}`, (cmd) => {
          const rule = cmd.rule!;
          if (rule.family !== family || rule.dynamic) return undefined;
          if (protocols !== '*' && !protocols.split(',').includes(exactProtocol(rule) ?? '')) return undefined;
          return kindOf(packetMatchedBy(rule));
        });
        for (const group of kinds.values()) {
          const first = group.keys().next().value!;
          const notrack = untrackedBy(rs, packetAtHook(first, hook), hook, untracking);
          if (!notrack || reported.has(notrack)) continue;
          const translation = [...group.keys()].sort((a, b) => a.span.start - b.span.start).find((r) => seenFrom(rs, r, hook));
          if (!translation) continue;
          reported.add(notrack);
          report(ctx, notrack, translation);
        }
        // REDIRECT and NETMAP are few: each is followed
        for (const cmd of chainFacts(rs).hookBound) {
          const t = cmd.rule?.target;
          if (!t || (t.name !== 'REDIRECT' && t.name !== 'NETMAP') || cmd.table !== 'nat' || cmd.family !== family || cmd.rule!.dynamic || cmd.kind === 'delete' || cmd.kind === 'check') continue;
          if (!seenFrom(rs, cmd.rule!, hook)) continue;
          const notrack = untrackedBy(rs, packetAtHook(cmd.rule!, hook), hook, untracking);
          if (!notrack || reported.has(notrack)) continue;
          reported.add(notrack);
          report(ctx, notrack, cmd.rule!);
        }
        if (hook === 'PREROUTING') checkSourceNat(ctx, family, untracking, reported);
      }
    }
  },
};

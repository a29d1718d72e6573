import type { Family } from '../../knowledge/types.ts';
import type { Rule, RuleSet } from '../../model/types.ts';
import { ruleMatches } from '../../simulate/conditions.ts';
import { evaluateChain } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactProtocol, packetMatchedBy } from '../../simulate/packetFromRule.ts';
import { chainFacts, hooksReachingChain } from '../chainGraph.ts';
import { dnatGroups } from '../dnatGroups.ts';
import { packetAtHook, untrackingRules } from '../untrackingRules.ts';
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

export const untrackedSkipsNat: LintRule = {
  code: 'untracked-skips-nat',
  severity: 'warning',
  summary: 'A raw-table NOTRACK (or CT --notrack) taking packets that a DNAT or REDIRECT of the nat table is written for: untracked packets never reach nat, so the port forward never happens.',
  docs: {
    description: 'Follows the connections each DNAT, REDIRECT or NETMAP of nat PREROUTING (or nat OUTPUT, and the chains they reach) is written for (its interface, protocol, addresses and ports) through raw PREROUTING (or raw OUTPUT). Where every way through leaves them untracked (a NOTRACK or `CT --notrack`), that rule is reported, once, naming the translation it takes them from. Shell expansions and tests the analysis cannot decide leave a rule unreported.',
    rationale: 'NAT works on connections: the nat table sees the first packet of each tracked connection and nothing else, and an untracked packet is no connection. A NOTRACK added for speed on a port that a DNAT forwards (a game server, a DNS forwarder) makes the packets go on to the address they were sent to, the router itself, where nothing answers, while the DNAT rule looks right and counts nothing. Measured with iptables 1.8.9 in network namespaces: the client\'s connection reaches the router\'s own port instead of the server (the trace\'s kernel lab has the same scenario).',
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
      }
    }
  },
};

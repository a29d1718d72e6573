import { ipv4Network, isPrivateIPv4Network } from '../../knowledge/values/addresses.ts';
import type { Rule } from '../../model/types.ts';
import { evaluateChain, type Outcome } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactInterface } from '../../simulate/packetFromRule.ts';
import { chainFacts } from '../chainGraph.ts';
import { commandOfRule } from '../commandOfRule.ts';
import { dnatForwards, translatedPacket } from '../dnatPaths.ts';
import { dnatGroups } from '../dnatGroups.ts';
import { lanInterfaces, serverOf } from '../dnatServer.ts';
import { sourceNatRules } from '../sourceNatRules.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** An address on the internet that stands for a port forward's clients (TEST-NET-2: no one's). */
const INTERNET_CLIENT = '198.51.100.7';

/**
 * Where a port forward's clients come from: the DNAT's own `-s` when it names one public
 * network (its first address), any internet address when it names none; undefined when it
 * takes connections from a private network or a test the analysis does not read.
 */
function clientOf(rule: Rule): string | undefined {
  const s = rule.source;
  if (!s) return INTERNET_CLIENT;
  if (s.negated || s.word.dynamic || s.value.includes(',')) return undefined;
  const n = ipv4Network(s.value);
  if (!n || isPrivateIPv4Network(n)) return undefined;
  return s.value.replace(/\/.*$/, '');
}

/** The MASQUERADE or SNAT rule that translated an outcome's source, if one did. */
function sourceNatOf(o: Outcome): Rule | undefined {
  if (!o.rewrites.source) return undefined;
  for (let i = o.path.length - 1; i >= 0; i--) {
    const name = o.path[i].rule?.target?.name;
    if (name === 'MASQUERADE' || name === 'SNAT') return o.path[i].rule;
  }
  return undefined;
}

/** `-o WAN` after the source NAT rule's chain, where the port forward names the interface its connections come in on. */
function outInterfaceFix(ctx: RuleContext, nat: Rule, wan: string | undefined): Fix[] {
  if (!wan || nat.outInterface) return [];
  const word = commandOfRule(ctx.ruleSet, nat)?.chainWord;
  if (!word || word.span.start < nat.span.start || word.span.end > nat.span.end) return [];
  return [{ title: `Translate only connections that leave through ${wan} (-o ${wan})`, edits: [{ span: { start: word.span.end, end: word.span.end }, text: ` -o ${wan}` }] }];
}

export const masqueradeHidesClients: LintRule = {
  code: 'masquerade-hides-clients',
  severity: 'info',
  summary: 'A MASQUERADE or SNAT that also translates the connections a port forward sends to a LAN server: the server sees every client as this router.',
  docs: {
    description: 'For each IPv4 DNAT that takes connections in on an interface (`-i`), from the internet (no `-s`, or a public one), and sends them on to a private address this host forwards to, follows the translated connection from an internet address through nat POSTROUTING (and the chains it reaches), going out of the interface filter FORWARD sends that server\'s traffic out of when the rules name one. Reports the MASQUERADE or SNAT rule that translates it on every way through: one with no `-o` (or the server\'s side as its `-o`), no source test that leaves internet addresses out, and no other test that could (a mark, a conntrack state, a set). Each such rule is reported once, naming the first port forward it hides. The fix adds `-o` with the port forward\'s incoming interface, so that only connections leaving that way are translated.',
    rationale: 'A MASQUERADE written without `-o` (`iptables -t nat -A POSTROUTING -j MASQUERADE`, as many guides have it) translates every connection this host forwards, also the ones a port forward sends into the LAN: they reach the server from the router\'s own LAN address, so the server\'s logs, its rate limits and its bans (fail2ban) see one client, the router, and cannot tell an attacker from anyone else. Where the server\'s replies would not come back through this router otherwise (its default route points elsewhere, a server reached over a tunnel), the translation is what makes the port forward work, which is why this is information, not a warning.',
    bad: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10\niptables -t nat -A POSTROUTING -j MASQUERADE\n' },
    good: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.10\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // the port forwards that name their incoming interface, by it (a kube-proxy dump's 27k DNATs name none), kept across edits
    const byInterface = dnatGroups(chainFacts(rs), 'masquerade-hides-clients', (cmd) => {
      const i = cmd.rule!.inInterface;
      return cmd.rule!.family === 'ipv4' && i && !i.negated && !i.word.dynamic ? i.value : undefined;
    });
    if (!byInterface.size) return;
    const sourceNat = sourceNatRules(rs);
    const reported = new Set<Rule>();
    for (const [wanPattern, group] of byInterface) {
      // a rule whose -o is the interface these connections come in on never translates them on
      // their way into the LAN: where every one is so (`-o $WAN`, the usual), nothing to follow
      if (!sourceNat.some((r) => !reported.has(r) && (!r.outInterface || r.outInterface.negated || r.outInterface.value !== wanPattern))) continue;
      const cmds = [...group.values()].sort((a, b) => a.span.start - b.span.start);
      for (const cmd of cmds) {
        if (reported.size === sourceNat.length) return;
        report(ctx, cmd.rule!, reported);
      }
    }
  },
};

/** Follows one port forward's connection through nat POSTROUTING and reports the source NAT rule that certainly translates it, once per rule. */
function report(ctx: RuleContext, dnat: Rule, reported: Set<Rule>): void {
  const rs = ctx.ruleSet;
  const server = serverOf(dnat);
  const client = clientOf(dnat);
  const arriving = translatedPacket(dnat);
  if (!server || !client || !arriving || dnat.dynamic || !dnatForwards(rs, dnat, server.address)) return;
  const wan = exactInterface(dnat.inInterface);
  // the server's side: not the interface its connections come in on
  const lan = [...lanInterfaces(rs, server.address)].filter((i) => i !== wan);
  const packet: Packet = { ...arriving, src: client, out: lan.length === 1 ? lan[0] : undefined };
  // every way through translates it, by one rule
  const translating = evaluateChain(rs, 'nat', 'POSTROUTING', packet).map(sourceNatOf);
  const nat = translating[0];
  if (!nat || reported.has(nat) || translating.some((r) => r !== nat)) return;
  reported.add(nat);
  const port = server.port !== undefined ? `:${server.port}` : '';
  const how = nat.target?.name === 'SNAT' ? 'SNAT' : 'MASQUERADE';
  ctx.report({
    span: nat.span,
    message: `This ${how} also translates the connections the port forward to ${server.address}${port} sends into the LAN${packet.out ? ` (out of ${packet.out})` : ''}: they reach the server from this router's address, so its logs, limits and bans see the router, not the client. ${wan && !nat.outInterface ? `Add -o ${wan} so that only connections leaving through ${wan} are translated` : 'Give it an -o for the way to the internet'}, unless the server's replies would not come back through this router without it.`,
    related: [{ span: dnat.span, message: `sends connections from ${wan ?? 'outside'} to ${server.address}${port}` }],
    fixes: outInterfaceFix(ctx, nat, wan),
  });
}

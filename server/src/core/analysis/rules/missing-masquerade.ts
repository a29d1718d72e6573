import { formatIPv4, ipv4Network, ipv4NetworksOverlap, ipv4NetworkWithin, isPrivateIPv4Network, type IPv4Network } from '../../knowledge/values/addresses.ts';
import type { Condition, Rule, RuleSet } from '../../model/types.ts';
import { interfaceMatches, ruleMatches } from '../../simulate/conditions.ts';
import { exactInterface, exactProtocol } from '../../simulate/packetFromRule.ts';
import { commandOfRule } from '../commandOfRule.ts';
import { commandIndent, commandTool, lineAfter } from '../scriptLine.ts';
import { privateBehind, privateNetwork } from '../privateNetworks.ts';
import { sourceNatRules } from '../sourceNatRules.ts';
import { chainsReached } from '../chainsReached.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** Where the rules put LANs (with a network of each) and the internet (see privateBehind, outsideInterfaces). */
interface Evidence {
  behind: ReadonlyMap<string, IPv4Network>;
  outside: ReadonlySet<string>;
}

/** A FORWARD accept of new connections from a private network to addresses beyond it. */
interface WayOut {
  rule: Rule;
  /** The private network, host bits cleared. */
  net: IPv4Network;
  /** The one interface the connections leave through, when the rule names it. */
  out?: string;
  /** An accept without a source: the interface the connections come from, which the rules put the network behind. */
  from?: string;
}

export const missingMasquerade: LintRule = {
  code: 'missing-masquerade',
  severity: 'info',
  summary: 'FORWARD lets new connections out from a private network to the internet, and no SNAT or MASQUERADE translates their source: the answers cannot find their way back.',
  docs: {
    description: 'Reports an IPv4 rule of filter FORWARD (or of a chain FORWARD jumps to) that accepts new connections from a private network (`-s` inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) to any address, or to addresses outside those networks (no `-d`, a public `-d`, or `! -d` of a private one), when no SNAT or MASQUERADE rule of nat POSTROUTING (or of the chains it reaches) can apply to them: one whose source test takes part of that network, whose destination test is not only private networks, and whose outgoing interface (`-o`) is the one the accept names, or either names none. Rules with other tests (a mark, a set) and shell expansions count as ones that apply. The first such accept out of each interface is reported. An accept without a source address that names the interfaces (`-i eth1 -o eth0`) counts when the rules put a private network behind its `-i` (see below) and the internet behind its `-o`: a DNAT\'s connections arrive on it, or FORWARD accepts only replies from it. Left alone: IPv6, other accepts without a source address (which addresses they let out is not known), and accepts of replies only (ESTABLISHED). Also left alone: an accept out of an interface the rules show private hosts behind (a rule other than a drop for traffic to a private address out of it, or an accept of a private network arriving on it: a LAN, a DMZ, which this host routes to itself), and a save file without a nat table (a dump of the filter table alone). Quick fix: `-t nat -A POSTROUTING -s NET -o OUT -j MASQUERADE` (for an accept by interfaces, `-o OUT -j MASQUERADE`) after the accept in a script, at the end of nat POSTROUTING in a save file.',
    rationale: 'The router forwards the connection with the private source address it came with. A host on the internet answers that address, which no router there knows: the answers are lost and the connection times out, while the rules on the router all look right (the FORWARD accept counts packets). Where the network beyond does route the private network back to this router (a company network, a second router that has a route for it), the connection works without NAT: hence information, not a warning.',
    bad: { dialect: 'script', text: 'sysctl -w net.ipv4.ip_forward=1\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -s 192.168.1.0/24 -o eth0 -j ACCEPT\n' },
    good: { dialect: 'script', text: 'sysctl -w net.ipv4.ip_forward=1\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -s 192.168.1.0/24 -o eth0 -j ACCEPT\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // a dump of the filter table alone says nothing of the nat table loaded beside it
    if (rs.dialect === 'save' && !rs.tables.has('ipv4:nat')) return;
    // the evidence of where the LANs and the internet are reads every rule: gathered only when
    // an accept needs it (the check runs after each keystroke; a kube-proxy dump has none)
    let evidence: Evidence | undefined;
    const known = () => (evidence ??= { behind: privateBehind(rs), outside: outsideInterfaces(rs) });
    const ways = waysOut(rs, known);
    if (!ways.length) return;
    const { behind } = known();
    const sourceNat = sourceNatRules(rs);
    const reported = new Set<string>();
    for (const way of ways) {
      const net = `${formatIPv4(way.net.net)}/${way.net.bits}`;
      const key = way.out ?? '';
      if (reported.has(key) || (way.out && behind.has(way.out)) || sourceNat.some((s) => mayTranslate(s, way))) continue;
      reported.add(key);
      const through = way.out ? ` through ${way.out}` : '';
      const from = way.from ? `${way.from} (where the rules put ${way.net.bits === 32 ? formatIPv4(way.net.net) : net})` : net;
      ctx.report({
        span: way.rule.span,
        message: `Connections this rule lets out from ${from}${through} keep their private source addresses: no SNAT or MASQUERADE in nat POSTROUTING translates them, so hosts on the internet cannot answer them. Masquerade them, unless the network beyond${through ? ` ${way.out}` : ''} routes ${net} back to this host.`,
        fixes: masqueradeFix(ctx, way, net),
      });
    }
  },
};

/**
 * The accepts of FORWARD and of the chains it reaches, in the order their chains are met, that
 * let new connections out from a private network: one named by `-s`, or behind the interface
 * named by `-i` when the accept names none and its `-o` (see privateBehind).
 */
function waysOut(rs: RuleSet, known: () => Evidence): WayOut[] {
  const table = rs.tables.get('ipv4:filter');
  const forward = table?.chains.get('FORWARD');
  if (!table || !forward) return [];
  const out: WayOut[] = [];
  for (const chain of chainsReached(table, forward)) {
    for (const r of chain.rules) {
      if (r.target?.name !== 'ACCEPT' || r.dynamic || !internetBound(r.destination)) continue;
      const exactOut = exactInterface(r.outInterface);
      const exactIn = exactInterface(r.inInterface);
      let net: IPv4Network | undefined;
      let from: string | undefined;
      if (r.source) net = privateNetwork(r.source);
      else if (exactOut && exactIn && exactIn !== exactOut) {
        // by interfaces: from a LAN (see privateBehind) to the internet side (see outsideInterfaces)
        const { behind, outside } = known();
        if (outside.has(exactOut)) net = behind.get((from = exactIn));
      }
      if (!net) continue;
      // a new connection from the network: a rule for replies only does not let one out
      const first = { family: 'ipv4' as const, proto: exactProtocol(r), src: formatIPv4(net.net + (net.bits! < 31 ? 1 : 0)), in: exactIn, out: exactOut, state: 'NEW', origin: 'remote' as const, local: [] };
      if (ruleMatches(r, first) === 'no') continue;
      out.push({ rule: r, net, out: exactOut, ...(from ? { from } : {}) });
    }
  }
  return out;
}

/**
 * Interfaces the rules show the internet behind: the one a port forward's connections arrive
 * on (`-i eth0 ... -j DNAT`), or one FORWARD accepts only replies from (`-i eth0 -o eth1
 * --ctstate ESTABLISHED,RELATED`), as a router does on its outside. Two LANs (VLANs) a router
 * forwards between without NAT accept new connections both ways, or neither.
 */
function outsideInterfaces(rs: RuleSet): Set<string> {
  const out = new Set<string>();
  for (const chain of rs.tables.get('ipv4:nat')?.chains.values() ?? []) {
    for (const r of chain.rules) {
      const i = r.target?.name === 'DNAT' ? exactInterface(r.inInterface) : undefined;
      if (i) out.add(i);
    }
  }
  for (const r of rs.tables.get('ipv4:filter')?.chains.get('FORWARD')?.rules ?? []) {
    const i = exactInterface(r.inInterface);
    // replies only: a state test (a rule without one takes new connections too)
    if (!i || out.has(i) || r.target?.name !== 'ACCEPT' || r.dynamic || !r.matches.some((m) => m.name === 'conntrack' || m.name === 'state')) continue;
    const packet = (state: string) => ({ family: 'ipv4' as const, in: i, out: exactInterface(r.outInterface), state, origin: 'remote' as const, local: [] });
    if (ruleMatches(r, packet('NEW')) === 'no' && ruleMatches(r, packet('ESTABLISHED')) !== 'no') out.add(i);
  }
  return out;
}

/** A destination test that takes addresses outside the private networks: none, a public network, or the negation of a private one. */
function internetBound(c: Condition | undefined): boolean {
  if (!c) return true;
  if (c.word.dynamic || c.value.includes(',')) return false;
  const n = ipv4Network(c.value);
  if (!n || n.bits === undefined) return false;
  // `! -d 192.168.0.0/16`: anything but the LAN; `-d 0/0` is no test
  if (c.negated) return n.bits > 0;
  return n.bits === 0 || !isPrivateIPv4Network(n);
}

/** Whether a source NAT rule can translate some of the connections `way` lets out (to the internet). */
function mayTranslate(s: Rule, way: WayOut): boolean {
  if (s.dynamic) return true;
  const src = s.source;
  if (src && !src.word.dynamic) {
    const n = src.value.includes(',') ? undefined : ipv4Network(src.value);
    if (n && n.bits !== undefined) {
      if (!src.negated && !ipv4NetworksOverlap(n, way.net)) return false;
      if (src.negated && ipv4NetworkWithin(way.net, n)) return false;
    }
  }
  // a translation only towards private networks leaves the internet out
  const dst = s.destination;
  if (dst && !dst.negated && !dst.word.dynamic && !dst.value.includes(',')) {
    const n = ipv4Network(dst.value);
    if (n && n.bits !== undefined && n.bits > 0 && isPrivateIPv4Network(n)) return false;
  }
  const o = s.outInterface;
  if (o && !o.word.dynamic && way.out) {
    const takes = interfaceMatches(o.value, way.out);
    if (takes === o.negated) return false;
  }
  const proto = exactProtocol(s);
  const wayProto = exactProtocol(way.rule);
  return !(proto && wayProto && proto !== wayProto);
}

/**
 * A MASQUERADE of the network out of the interface: in a script on the line after the
 * command that added the accept, with its tool word and indentation; in a save file at the
 * end of nat POSTROUTING.
 */
function masqueradeFix(ctx: RuleContext, way: WayOut, net: string): Fix[] {
  // an accept by interfaces gets the router's classic line: whatever leaves through the outside interface
  const spec = `${way.from ? '' : `-s ${net} `}${way.out ? `-o ${way.out} ` : ''}-j MASQUERADE`;
  const title = way.from ? `Masquerade connections out of ${way.out}` : `Masquerade connections from ${net}${way.out ? ` out of ${way.out}` : ''}`;
  const rs = ctx.ruleSet;
  if (rs.dialect === 'script') {
    const cmd = commandOfRule(rs, way.rule);
    const tool = cmd && commandTool(ctx.text, cmd);
    if (!cmd || !tool) return [];
    const { at, newline } = lineAfter(ctx.text, cmd);
    return [{ title, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${commandIndent(ctx.text, cmd)}${tool} -t nat -A POSTROUTING ${spec}\n` }] }];
  }
  // a save file is judged with its nat table (see check): the MASQUERADE goes at the end of its POSTROUTING
  const post = rs.tables.get('ipv4:nat')?.chains.get('POSTROUTING');
  const last = post?.rules.at(-1)?.span.end ?? post?.declarations[0]?.line.end;
  if (last === undefined) return [];
  const nl = ctx.text.indexOf('\n', last);
  const at = nl === -1 ? ctx.text.length : nl + 1;
  return [{ title, edits: [{ span: { start: at, end: at }, text: `${nl === -1 ? '\n' : ''}-A POSTROUTING ${spec}\n` }] }];
}

import { formatIPv4, ipv4Network, type IPv4Network } from '../../knowledge/values/addresses.ts';
import type { Command, Condition, Rule } from '../../model/types.ts';
import { forwardingOf } from '../../model/sysctlFacts.ts';
import { tracePacket } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactInterface } from '../../simulate/packetFromRule.ts';
import { commandOfRule } from '../commandOfRule.ts';
import { hostIn, hostOfCondition } from '../networkHost.ts';
import { natRouters } from '../natRouters.ts';
import { atTopLevel, commandIndent, commandTool, ip6Tool, lineAfter } from '../scriptLine.ts';
import { startsLine } from '../moveBefore.ts';
import { sourceNatRules } from '../sourceNatRules.ts';
import { ufwBeforeForward } from '../ufwBeforeChain.ts';
import type { Span } from '../../text/span.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** The connection a host on the outside opens to one behind the router: file sharing, from a documentation address. */
const PROBE = { proto: 'tcp', src: '203.0.113.5', sport: 40000, dport: 445 } as const;

/** Where the message puts the probed host: in the network behind the router (a /32 is the host itself), or just behind it. */
function whereBehind(n: IPv4Network | undefined): string {
  if (!n) return ' (a host behind this router)';
  return n.bits === undefined || n.bits === 32 ? ' (behind this router)' : ` (of ${formatIPv4(n.net)}/${n.bits}, behind this router)`;
}

/** The first IPv4 network of a WireGuard interface's addresses (`10.8.0.1/24` is 10.8.0.0/24). */
function tunnelNetwork(addresses: readonly string[]): IPv4Network | undefined {
  for (const a of addresses) {
    const n = a.includes('/') ? ipv4Network(a) : undefined;
    if (n && n.bits !== undefined && n.bits < 32) return n;
  }
  return undefined;
}

/** The drop that closes FORWARD to new connections from the outside, port forwards (DNAT) and replies apart. */
function closingRule(wan: string): string {
  return `-i ${wan} -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP`;
}

/**
 * Scripts: the drop inserted at the top of FORWARD by a command right after the source NAT's
 * (run by the same words). Save files: as the first rule of FORWARD.
 */
function closeFix(ctx: RuleContext, snat: Rule | undefined, wan: string): Fix[] {
  const rs = ctx.ruleSet;
  const title = `Drop new connections arriving on ${wan} in FORWARD (port forwards and replies pass)`;
  if (rs.dialect === 'save') {
    const first = rs.tables.get(`${rs.family}:filter`)?.chains.get('FORWARD')?.rules[0];
    if (!first || !startsLine(ctx, first.span.start)) return [];
    return [{ title, edits: [{ span: { start: first.span.start, end: first.span.start }, text: `-A FORWARD ${closingRule(wan)}\n` }] }];
  }
  // beside the source NAT, under the same shell conditions: it runs when the NAT is set up
  const cmd = snat && commandOfRule(rs, snat);
  const tool = cmd && commandTool(ctx.text, cmd);
  if (!cmd || !tool) return [];
  const { at, newline } = lineAfter(ctx.text, cmd);
  return [{ title, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${commandIndent(ctx.text, cmd)}${tool} -I FORWARD ${closingRule(wan)}\n` }] }];
}

export const lanReachableFromWan: LintRule = {
  code: 'lan-reachable-from-wan',
  severity: 'warning',
  summary: 'A NAT router (MASQUERADE or SNAT out of one interface) whose FORWARD lets new connections from that side through to the private network behind it, over IPv4 or, where the script forwards IPv6, over IPv6.',
  docs: {
    description: 'For each interface IPv4 traffic is masqueraded or source-translated out of (`-t nat -A POSTROUTING -o eth0 -j MASQUERADE`), a new connection arriving on it for a host of the private network behind the router (the translated `-s` network, or one the rules put behind another interface; in a wg-quick configuration the tunnel\'s network, from its `Address`; 192.168.1.10 when none is named) is followed through the rules, as `iptables-lint trace` does: when every way through ends accepted, by an accept of FORWARD or by a FORWARD policy of ACCEPT the rules set (`-P FORWARD ACCEPT`, `:FORWARD ACCEPT`), the router forwards it. A policy the rules never set is the host\'s (ufw\'s, the distribution\'s) and is not judged. Source NAT hides the LAN\'s addresses from the internet, but a host on the outside network (the provider\'s segment, a hostile neighbour) that routes the LAN\'s addresses to the router reaches every host behind it. Port forwards (DNAT) are not this: the probe is a plain connection to tcp/445. The quick fix drops new connections arriving on that interface in FORWARD, unless they were port-forwarded (`-m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP`), inserted at the top of FORWARD (in a script, by a command right after the source NAT\'s). IPv6 of the same router, in a script: where it turns IPv6 forwarding on (`sysctl -w net.ipv6.conf.all.forwarding=1`, a write to /proc), a new IPv6 connection arriving on that interface for a host behind the router (of the network an ip6tables accept of the LAN going out names, else a documentation address) is followed through ip6tables\' FORWARD the same way. Nothing hides those hosts: each has a global address the outside can route to (where ip6tables masquerades them too, as VPN installers do for their unique local addresses, they are hidden as IPv4\'s are, and neighbours still reach them). The script turns forwarding on itself, so a FORWARD policy it never sets is the kernel\'s ACCEPT: the finding is then on the setting. Its fix inserts the same drop with ip6tables, after the script\'s last command of ip6tables\' FORWARD (a flush after it would take it away), else after the source NAT\'s. A save file of IPv6 rules (`rules.v6`, `ip6tables.rules`) is judged the same way where the IPv4 half kept beside it (`rules.v4`…) has the source NAT and the workspace\'s sysctl files turn IPv6 forwarding on (the editor and the CLI look for both; the editor reads an IPv4 half it has open as it holds it, saved or not); its fix inserts the drop as FORWARD\'s first rule. A router whose source NAT does not say which side is outside, or an IPv6-only one, is not judged. ufw\'s before.rules is judged as ufw loads it (its forward policy from /etc/default/ufw, user.rules beside it): where ufw lets the connection through (`DEFAULT_FORWARD_POLICY="ACCEPT"`, which VPN and router guides for ufw ask for, accepts every new TCP and UDP connection), the finding is on the source NAT, and its fix drops such connections in ufw-before-forward.',
    rationale: 'A router script with an accept for the LAN going out and one for replies coming back looks closed, but FORWARD\'s policy is still ACCEPT, or an accept meant for replies takes everything for the LAN: NAT is not a firewall.',
    bad: { dialect: 'script', text: 'iptables -P FORWARD ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n' },
    good: { dialect: 'script', text: 'iptables -P FORWARD DROP\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const routers = natRouters(rs);
    for (const router of routers) {
      const { snat, wan, lanIface } = router;
      // a wg-quick configuration: the tunnel's own network is behind the router
      const lanNet = router.lanNet ?? (ctx.hooks?.addresses.length ? tunnelNetwork(ctx.hooks.addresses) : undefined);
      const dst = lanNet ? hostIn(lanNet) : '192.168.1.10';
      const packet: Packet = { family: 'ipv4', in: wan, out: lanIface, ...PROBE, dst, state: 'NEW', origin: 'remote', local: [], toHost: false };
      const outcomes = tracePacket(rs, packet);
      if (!outcomes.length || outcomes.some((o) => o.verdict !== 'ACCEPT' || !o.hooks?.includes('FORWARD'))) continue;
      // where filter FORWARD let it through: its rule that took the packet (an accept, or a
      // jump to a chain that accepts), else its policy
      const forward = rs.tables.get('ipv4:filter')?.chains.get('FORWARD');
      const taken = outcomes[0].path.find((st) => st.table === 'filter' && st.chain === 'FORWARD' && st.rule)?.rule;
      // a policy the rules never set is the host's (ufw's, a distribution's): not judged
      const span: Span | undefined = taken?.span ?? (forward?.policy === 'ACCEPT' ? forward.policySpan : undefined);
      if (!span) continue;
      const by = !taken ? 'FORWARD\'s policy is ACCEPT' : taken.target?.name === 'ACCEPT' ? 'an accept in FORWARD takes it' : `FORWARD sends it to ${taken.target?.name ?? 'a chain'}, which accepts it`;
      const message = (how: string) => `A new connection arriving on ${wan} for ${dst}${whereBehind(lanNet)} is forwarded: ${how}. NAT out of ${wan} hides the private addresses but does not stop hosts on ${wan}'s side from routing to them.`;
      const load = ctx.ufw;
      if (load && !load.holds(span)) {
        // ufw's rules file: what lets it through is ufw's (its forward policy) or another file's, so the finding is on the source NAT
        const accepted = outcomes[0].path.findLast((st) => st.rule?.target?.name === 'ACCEPT')?.rule;
        const place = accepted && load.placeOf(accepted.span.start);
        const how = place?.file ? `an accept of ${place.file} (line ${place.line}) takes it` : `ufw lets it through (DEFAULT_FORWARD_POLICY="${load.forwardPolicy}" in ${load.defaultsFile})`;
        ctx.report({ span: snat.span, message: message(how), fixes: ufwBeforeForward(ctx, load, closingRule(wan), `Drop new connections arriving on ${wan} (port forwards and replies pass)`) });
        continue;
      }
      ctx.report({
        span,
        message: message(by),
        related: [{ span: snat.span, message: `source NAT out of ${wan}: the other side is outside` }],
        fixes: closeFix(ctx, snat, wan),
      });
    }
    // the same router's IPv6, forwarded without NAT: a script sets both families up, a rules.v6
    // has its IPv4 half beside it
    const router = routers[0];
    if (router && rs.dialect === 'script') {
      const on = rs.forwarding.find((f) => f.family === 'ipv6' && f.value === '1');
      if (on && forwardingOf(rs.forwarding, 'ipv6').state === 'on') {
        ipv6Forwarded(ctx, { wan: router.wan, lanIface: router.lanIface, on: on.span, snat: router.snat, fixes: () => closeFix6(ctx, router.snat, router.wan) });
      }
    }
    const beside = ctx.settings.workspaceIpv4Nat;
    const forwarding = ctx.settings.workspaceForwarding ?? [];
    if (beside && rs.dialect === 'save' && rs.family === 'ipv6' && forwardingOf(forwarding, 'ipv6').state === 'on' && forwarding.some((f) => f.family === 'ipv6' && f.value === '1')) {
      ipv6Forwarded(ctx, { wan: beside.wan, lanIface: beside.lanIface, beside: beside.file, fixes: () => closeFix(ctx, undefined, beside.wan) });
    }
  },
};

/** The IPv6 probe: from a documentation address outside; to one behind the router when no IPv6 network of the rules says where. */
const PROBE6 = { proto: 'tcp', src: '2001:db8:ffff::5', sport: 40000, dport: 445 } as const;
const LAN6 = '2001:db8:1::10';

/** A router's IPv6 side: its outside and inside, where forwarding is turned on, where the IPv4 source NAT that says which side is outside is. */
interface Ipv6Side {
  wan: string;
  lanIface?: string;
  /** A script: the setting that turns IPv6 forwarding on, and the source NAT. */
  on?: Span;
  snat?: Rule;
  /** A rules.v6: the IPv4 half beside it that holds the source NAT (forwarding is on in the workspace's sysctl files). */
  beside?: string;
  fixes: () => Fix[];
}

/**
 * A router that masquerades IPv4 out of `wan` and forwards IPv6: a new IPv6 connection
 * arriving on `wan` for a host behind the router, followed through ip6tables' FORWARD.
 * Nothing hides those hosts: each has an address of its own the outside can route to. A
 * FORWARD policy a script never sets is the kernel's ACCEPT here (the script itself turns
 * forwarding on): the finding is then on the setting that turns it on.
 */
function ipv6Forwarded(ctx: RuleContext, side: Ipv6Side): void {
  const rs = ctx.ruleSet;
  const { wan } = side;
  const forward = rs.tables.get('ipv6:filter')?.chains.get('FORWARD');
  // the LAN going out over IPv6: an accept of FORWARD from another interface out of the WAN, with its network
  let lan: { iface?: string; source?: Condition } = { iface: side.lanIface };
  for (const r of forward?.rules ?? []) {
    const from = exactInterface(r.inInterface);
    if (r.target?.name === 'ACCEPT' && from && from !== wan && exactInterface(r.outInterface) === wan) {
      lan = { iface: from, source: r.source };
      break;
    }
  }
  const dst = hostOfCondition(lan.source) ?? LAN6;
  const packet: Packet = { family: 'ipv6', in: wan, out: lan.iface, ...PROBE6, dst, state: 'NEW', origin: 'remote', local: [], toHost: false };
  const outcomes = tracePacket(rs, packet);
  if (!outcomes.length || outcomes.some((o) => o.verdict !== 'ACCEPT' || !o.hooks?.includes('FORWARD'))) return;
  const taken = outcomes[0].path.find((st) => st.table === 'filter' && st.chain === 'FORWARD' && st.rule)?.rule;
  const policy = forward?.policy === 'ACCEPT' ? forward.policySpan : undefined;
  const by = taken
    ? taken.target?.name === 'ACCEPT' ? 'an accept in ip6tables\' FORWARD takes it' : `ip6tables' FORWARD sends it to ${taken.target?.name ?? 'a chain'}, which accepts it`
    : policy ? 'ip6tables\' FORWARD policy is ACCEPT' : 'the script never sets ip6tables\' FORWARD policy, which is ACCEPT';
  const span = taken?.span ?? policy ?? side.on;
  if (!span) return;
  // ip6tables masquerading too (a VPN's ULAs): hidden like IPv4's, still routable by neighbours
  const nat6 = sourceNatRules(rs, 'ipv6').some((r) => exactInterface(r.outInterface) === wan);
  const why = nat6
    ? `NAT out of ${wan} hides their addresses but does not stop hosts on ${wan}'s side from routing to them.`
    : `IPv6 is routed without NAT: every host behind the router with a global address can be reached from ${wan}'s side.`;
  const outside = side.beside ? ` (${side.beside} beside this file masquerades IPv4 out of ${wan}, and the workspace's sysctl files turn IPv6 forwarding on)` : '';
  ctx.report({
    span,
    message: `A new IPv6 connection arriving on ${wan}${outside} for ${dst === LAN6 ? 'a host behind this router' : `${dst} (behind this router)`} is forwarded: ${by}. ${why}`,
    related: [
      ...(side.snat ? [{ span: side.snat.span, message: `IPv4 source NAT out of ${wan}: the other side is outside` }] : []),
      ...(side.on && span !== side.on ? [{ span: side.on, message: 'IPv6 forwarding turned on' }] : []),
    ],
    fixes: side.fixes(),
  });
}

/**
 * The same drop for ip6tables, inserted at the top of its FORWARD by a command after the
 * script's last one of ip6tables' filter FORWARD (a flush after it would take the drop away),
 * or after the IPv4 source NAT's when there is none, run the way that command runs.
 */
function closeFix6(ctx: RuleContext, snat: Rule, wan: string): Fix[] {
  const rs = ctx.ruleSet;
  let anchor: Command | undefined;
  for (const c of rs.commands) if (c.family === 'ipv6' && c.table === 'filter' && (c.chain === 'FORWARD' || c.chain === undefined) && atTopLevel(rs, c)) anchor = c;
  anchor ??= commandOfRule(rs, snat);
  const tool = anchor && commandTool(ctx.text, anchor);
  if (!anchor || !tool) return [];
  const six = anchor.family === 'ipv6' ? tool : ip6Tool(tool);
  const { at, newline } = lineAfter(ctx.text, anchor);
  return [{ title: `Drop new IPv6 connections arriving on ${wan} in FORWARD (replies pass)`, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${commandIndent(ctx.text, anchor)}${six} -I FORWARD ${closingRule(wan)}\n` }] }];
}

import { formatIPv4, ipv4NetworksOverlap, type IPv4Network } from '../../knowledge/values/addresses.ts';
import type { Rule } from '../../model/types.ts';
import { tracePacket } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactInterface } from '../../simulate/packetFromRule.ts';
import { commandOfRule } from '../commandOfRule.ts';
import { hostIn } from '../networkHost.ts';
import { privateBehind, privateNetwork } from '../privateNetworks.ts';
import { commandIndent, commandTool, lineAfter } from '../scriptLine.ts';
import { startsLine } from '../moveBefore.ts';
import { sourceNatRules } from '../sourceNatRules.ts';
import type { Span } from '../../text/span.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** The connection a host on the outside opens to one behind the router: file sharing, from a documentation address. */
const PROBE = { proto: 'tcp', src: '203.0.113.5', sport: 40000, dport: 445 } as const;

/** Where the message puts the probed host: in the network behind the router (a /32 is the host itself), or just behind it. */
function whereBehind(n: IPv4Network | undefined): string {
  if (!n) return ' (a host behind this router)';
  return n.bits === undefined || n.bits === 32 ? ' (behind this router)' : ` (of ${formatIPv4(n.net)}/${n.bits}, behind this router)`;
}

/** The drop that closes FORWARD to new connections from the outside, port forwards (DNAT) and replies apart. */
function closingRule(wan: string): string {
  return `-i ${wan} -m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP`;
}

/**
 * Scripts: the drop inserted at the top of FORWARD by a command right after the source NAT's
 * (run by the same words). Save files: as the first rule of FORWARD.
 */
function closeFix(ctx: RuleContext, snat: Rule, wan: string): Fix[] {
  const rs = ctx.ruleSet;
  const title = `Drop new connections arriving on ${wan} in FORWARD (port forwards and replies pass)`;
  if (rs.dialect === 'save') {
    const first = rs.tables.get('ipv4:filter')?.chains.get('FORWARD')?.rules[0];
    if (!first || !startsLine(ctx, first.span.start)) return [];
    return [{ title, edits: [{ span: { start: first.span.start, end: first.span.start }, text: `-A FORWARD ${closingRule(wan)}\n` }] }];
  }
  // beside the source NAT, under the same shell conditions: it runs when the NAT is set up
  const cmd = commandOfRule(rs, snat);
  const tool = cmd && commandTool(ctx.text, cmd);
  if (!cmd || !tool) return [];
  const { at, newline } = lineAfter(ctx.text, cmd);
  return [{ title, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${commandIndent(ctx.text, cmd)}${tool} -I FORWARD ${closingRule(wan)}\n` }] }];
}

export const lanReachableFromWan: LintRule = {
  code: 'lan-reachable-from-wan',
  severity: 'warning',
  summary: 'A NAT router (MASQUERADE or SNAT out of one interface) whose FORWARD lets new connections from that side through to the private network behind it.',
  docs: {
    description: 'For each interface IPv4 traffic is masqueraded or source-translated out of (`-t nat -A POSTROUTING -o eth0 -j MASQUERADE`), a new connection arriving on it for a host of the private network behind the router (the translated `-s` network, or one the rules put behind another interface; 192.168.1.10 when none is named) is followed through the rules, as `iptables-lint trace` does: when every way through ends accepted, by an accept of FORWARD or by a FORWARD policy of ACCEPT the rules set (`-P FORWARD ACCEPT`, `:FORWARD ACCEPT`), the router forwards it. A policy the rules never set is the host\'s (ufw\'s, the distribution\'s) and is not judged. Source NAT hides the LAN\'s addresses from the internet, but a host on the outside network (the provider\'s segment, a hostile neighbour) that routes the LAN\'s addresses to the router reaches every host behind it. Port forwards (DNAT) are not this: the probe is a plain connection to tcp/445. The quick fix drops new connections arriving on that interface in FORWARD, unless they were port-forwarded (`-m conntrack ! --ctstate ESTABLISHED,RELATED,DNAT -j DROP`), inserted at the top of FORWARD (in a script, by a command right after the source NAT\'s).',
    rationale: 'A router script with an accept for the LAN going out and one for replies coming back looks closed, but FORWARD\'s policy is still ACCEPT, or an accept meant for replies takes everything for the LAN: NAT is not a firewall.',
    bad: { dialect: 'script', text: 'iptables -P FORWARD ACCEPT\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n' },
    good: { dialect: 'script', text: 'iptables -P FORWARD DROP\niptables -A FORWARD -i eth1 -o eth0 -j ACCEPT\niptables -A FORWARD -i eth0 -o eth1 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const seen = new Set<string>();
    let behind: Map<string, IPv4Network> | undefined;
    for (const snat of sourceNatRules(rs)) {
      const wan = exactInterface(snat.outInterface);
      if (!wan || wan === 'lo' || snat.dynamic || seen.has(wan)) continue;
      seen.add(wan);
      behind ??= privateBehind(rs);
      // the LAN: the translated network, or one the rules put behind another interface
      const translated = privateNetwork(snat.source);
      let lan: { net?: IPv4Network; iface?: string } = { net: translated };
      for (const [iface, net] of behind) {
        if (iface !== wan && (!translated || ipv4NetworksOverlap(net, translated))) {
          lan = { net: translated ?? net, iface };
          break;
        }
      }
      const dst = lan.net ? hostIn(lan.net) : '192.168.1.10';
      const packet: Packet = { family: 'ipv4', in: wan, out: lan.iface, ...PROBE, dst, state: 'NEW', origin: 'remote', local: [], toHost: false };
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
      ctx.report({
        span,
        message: `A new connection arriving on ${wan} for ${dst}${whereBehind(lan.net)} is forwarded: ${by}. NAT out of ${wan} hides the private addresses but does not stop hosts on ${wan}'s side from routing to them.`,
        related: [{ span: snat.span, message: `source NAT out of ${wan}: the other side is outside` }],
        fixes: closeFix(ctx, snat, wan),
      });
    }
  },
};

import { forwardDecider } from '../forwardDecider.ts';
import { lineAfter } from '../scriptLine.ts';
import { chainsReached } from '../chainsReached.ts';
import { alwaysDropped } from '../dnatPaths.ts';
import { hostOfCondition } from '../networkHost.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import type { Rule } from '../../model/types.ts';
import { evaluateChain } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactInterface, exactProtocol } from '../../simulate/packetFromRule.ts';
import { ufwBeforeForward } from '../ufwBeforeChain.ts';

const SOURCE_NAT = new Set(['MASQUERADE', 'SNAT']);

export const masqueradeWithoutForwardAccept: LintRule = {
  code: 'masquerade-without-forward-accept',
  severity: 'warning',
  summary: 'Source NAT (MASQUERADE, SNAT) for a network whose new connections filter FORWARD drops: they never reach it.',
  docs: {
    description: 'For each MASQUERADE or SNAT rule in nat POSTROUTING (and the user chains it reaches) that names the network it translates (`-s 10.8.0.0/24`), follows the first packet of a new connection from a host of that network, out of the rule\'s interface to anywhere, through filter FORWARD, with what the rule does not say (the interface it came in on, its destination, its ports) left open and TCP where it names no protocol: where every way through FORWARD drops or rejects it, the NAT rule is reported, with the rule or policy that drops it. A file without FORWARD (a delta loaded with --noflush) is not judged; ufw\'s before.rules is judged as ufw loads it, with its forward policy from /etc/default/ufw. Rules that translate the same packets (the same network, interface and protocol) are reported once, on the first. The fix accepts the network\'s connections out of that interface in FORWARD (in ufw\'s before.rules, in ufw-before-forward).',
    rationale: 'Sharing a connection (a VPN server, a LAN behind a router) takes both a source NAT and an accept in FORWARD. Set-up guides for OpenVPN and WireGuard on ufw add the MASQUERADE to before.rules and say, a step later, to set DEFAULT_FORWARD_POLICY="ACCEPT" or to add a route rule; when that step is missed, the clients connect to the VPN and reach nothing beyond it, and the NAT rule\'s counters stay at zero.',
    bad: {
      dialect: 'script',
      text: 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE\n',
    },
    good: {
      dialect: 'script',
      text: 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A FORWARD -s 10.8.0.0/24 -o eth0 -j ACCEPT\niptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE\n',
    },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const table of rs.tables.values()) {
      if (table.name !== 'nat') continue;
      const postrouting = table.chains.get('POSTROUTING');
      // FORWARD as the file leaves it: one it does not hold is the host's, not judged
      const forward = rs.tables.get(`${table.family}:filter`)?.chains.get('FORWARD');
      if (!postrouting || !forward) continue;
      // one finding per packet: a dump that repeats its NAT rules (libvirt's, after restarts)
      // would otherwise repeat the finding on every copy, each with the same verdict and fix
      const judged = new Set<string>();
      for (const chain of chainsReached(table, postrouting)) {
        for (const rule of chain.rules) {
          if (!rule.target || !SOURCE_NAT.has(rule.target.name) || rule.dynamic) continue;
          const src = hostOfCondition(rule.source);
          if (!src) continue;
          const packet: Packet = { family: rule.family, src, state: 'NEW', origin: 'remote', local: [], toHost: false };
          const out = exactInterface(rule.outInterface);
          if (out) packet.out = out;
          // a rule for every protocol is judged by TCP's connections: a FORWARD that lets ICMP
          // through (ufw's before.rules does, for pings) still stops everything else
          const proto = exactProtocol(rule);
          packet.proto = proto ?? 'tcp';
          const key = `${rule.source!.value} ${out ?? ''} ${proto ?? ''}`;
          if (judged.has(key)) continue;
          judged.add(key);
          const outcomes = evaluateChain(rs, 'filter', 'FORWARD', packet);
          if (!alwaysDropped(outcomes)) continue;
          const d = forwardDecider(outcomes[0], forward, rule.span);
          ctx.report({
            span: rule.span,
            message: `New ${proto ? '' : 'TCP '}connections from ${rule.source!.value}${out ? ` out of ${out}` : ''} are ${outcomes[0].verdict === 'REJECT' ? 'rejected' : 'dropped'} in filter FORWARD, so this ${rule.target.name} never translates one: ${ctx.ufw ? `ufw's forward rules must accept them (\`ufw route allow${out ? ` out on ${out}` : ''} from ${rule.source!.value}\`), or DEFAULT_FORWARD_POLICY="ACCEPT" in ${ctx.ufw.defaultsFile}.` : 'FORWARD must accept them too.'}`,
            related: [d],
            fixes: fixFor(ctx, rule, out),
          });
        }
      }
    }
  },
};

/**
 * An accept of the network's new connections out of the interface: in a script after the NAT
 * command, in ufw's before.rules in ufw-before-forward (see ufwBeforeForward). Save files
 * otherwise: none (where FORWARD's rules go is the writer's).
 */
function fixFor(ctx: RuleContext, rule: Rule, out: string | undefined): Fix[] {
  const match = `-s ${rule.source!.value}${out ? ` -o ${out}` : ''}`;
  const title = `Accept new connections from ${rule.source!.value}${out ? ` out of ${out}` : ''}`;
  if (ctx.ufw) return ufwBeforeForward(ctx, ctx.ufw, `${match} -j ACCEPT`, title);
  if (ctx.ruleSet.dialect !== 'script') return [];
  const { at, newline } = lineAfter(ctx.text, rule);
  return [{ title: `${title} in FORWARD`, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${rule.family === 'ipv6' ? 'ip6tables' : 'iptables'} -A FORWARD ${match} -j ACCEPT\n` }] }];
}

import { forwardDecider } from '../forwardDecider.ts';
import { lineAfter } from '../scriptLine.ts';
import { acceptsEstablished } from '../acceptsEstablished.ts';
import { addressWithPort } from '../../knowledge/values/addresses.ts';
import { inNetwork, portInRange } from '../../simulate/conditions.ts';
import { alwaysDropped, dnatChecks, dnatChecksSteps, type DnatCheck } from '../dnatPaths.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import type { Chain, RuleSet } from '../../model/types.ts';
import type { Packet } from '../../simulate/packet.ts';
import type { UfwLoad } from '../../model/ufwLoad.ts';
import { ufwBeforeForward } from '../ufwBeforeChain.ts';

export const dnatWithoutForwardAccept: LintRule = {
  code: 'dnat-without-forward-accept',
  severity: 'warning',
  summary: 'DNAT\'d traffic that the filter FORWARD chain drops, or whose replies it drops (no ESTABLISHED,RELATED accept).',
  docs: {
    description: 'For each DNAT rule whose connections pass FORWARD (not those in nat OUTPUT, which the host itself sends, nor those to a loopback address, which go to INPUT), follows the translated packet of a new connection (the new address and port, the DNAT rule\'s interface and protocol) through filter FORWARD, and the server\'s first reply (state ESTABLISHED). Warns when every path drops or rejects it; related information points at the policy or rule that does. In ufw\'s before.rules, where FORWARD is not written, the packet is followed through the tables as ufw loads them: its own chains, after.rules and user.rules beside it, and the forward policy of /etc/default/ufw (DROP as ufw ships it); the fix there accepts the translated traffic in ufw-before-forward.',
    rationale: 'A port forward needs both halves: DNAT in nat PREROUTING and an accept in filter FORWARD for the translated destination. The classic mistake accepts the public port (80) instead of the translated one (8080), or forgets the rule that lets replies back; the forward silently never works.',
    bad: {
      dialect: 'script',
      text: 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\niptables -A FORWARD -i eth0 -p tcp --dport 80 -d 192.168.1.100 -j ACCEPT\n',
    },
    good: {
      dialect: 'script',
      text: 'sysctl -w net.ipv4.ip_forward=1\niptables -P FORWARD DROP\niptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\niptables -A FORWARD -i eth0 -p tcp --dport 8080 -d 192.168.1.100 -j ACCEPT\n',
    },
  },
  prepare: (rs) => dnatChecksSteps(rs),
  check(ctx) {
    // per DNAT nothing is allocated until something is reported: a kube-proxy dump has tens of
    // thousands of DNATs, and this runs after every edit
    const rs = ctx.ruleSet;
    const checks = dnatChecks(rs);
    // filter FORWARD of each family, looked up once rather than by a name built per DNAT
    const forwards = new Map<string, Chain | undefined>();
    const forwardOf = (family: string): Chain | undefined => {
      if (!forwards.has(family)) forwards.set(family, rs.tables.get(`${family}:filter`)?.chains.get('FORWARD'));
      return forwards.get(family);
    };
    // by index: iterator results for 27k checks were most of what this allocated per edit
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      const forward = forwardOf(c.dnat.family);
      if (alwaysDropped(c.forward)) {
        const p = c.packet;
        const d = forwardDecider(c.forward[0], forward, c.dnat.span);
        ctx.report({
          span: c.dnat.span,
          message: `Connections forwarded to ${where(p)} are ${c.forward[0].verdict === 'REJECT' ? 'rejected' : 'dropped'} in filter FORWARD: after DNAT the packet has destination ${where(p)}${p.proto ? `/${p.proto}` : ''}, and ${ctx.ufw ? ufwAdvice(ctx.ufw, p) : 'FORWARD must accept that (not the original port).'}`,
          related: [{ span: d.span, message: d.message }],
          fixes: ctx.ufw ? ufwFixFor(ctx, ctx.ufw, p) : fixFor(ctx, c, p),
        });
      } else if (repliesDropped(rs, c, forward)) {
        const d = forwardDecider(c.replies.find((o) => o.verdict !== 'ACCEPT') ?? c.replies[0], forward, c.dnat.span);
        ctx.report({
          span: c.dnat.span,
          message: `Replies from ${where(c.packet)} are dropped in filter FORWARD: add -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT before the rules that drop.`,
          related: [{ span: d.span, message: d.message }],
        });
      }
    }
  },
};

/** The translated destination, `address:port`. */
function where(p: Packet): string {
  return addressWithPort(p.dst ?? '?', p.dport);
}

/** Scripts: an accept for the translated traffic (`p`, the DNAT's packet), added after the DNAT command. */
function fixFor(ctx: RuleContext, c: DnatCheck, p: Packet): Fix[] {
  if (ctx.ruleSet.dialect !== 'script' || !p.proto || p.dport === undefined) return [];
  const line = `iptables -A FORWARD${p.in ? ` -i ${p.in}` : ''} -p ${p.proto} -d ${p.dst} --dport ${p.dport} -m conntrack --ctstate NEW -j ACCEPT`;
  const { at, newline } = lineAfter(ctx.text, c.dnat);
  return [{ title: `Accept the forwarded traffic to ${where(p)} in FORWARD`, edits: [{ span: { start: at, end: at }, text: (newline ? '\n' : '') + line + '\n' }] }];
}

/** What lets a port forward through ufw: its forward policy, or a route rule for the translated destination. */
function ufwAdvice(load: UfwLoad, p: Packet): string {
  const route = p.proto && p.dport !== undefined ? ` (\`ufw route allow${p.in ? ` in on ${p.in}` : ''} proto ${p.proto} to ${p.dst} port ${p.dport}\`)` : '';
  return `ufw's forward rules must accept that: a route rule for it${route}, an accept in ufw-before-forward, or DEFAULT_FORWARD_POLICY="ACCEPT" in ${load.defaultsFile}.`;
}

/** ufw's before.rules: an accept for the translated traffic in ufw-before-forward (see ufwBeforeForward). */
function ufwFixFor(ctx: RuleContext, load: UfwLoad, p: Packet): Fix[] {
  if (!p.proto || p.dport === undefined) return [];
  return ufwBeforeForward(ctx, load, `${p.in ? `-i ${p.in} ` : ''}-p ${p.proto} -d ${p.dst} --dport ${p.dport} -m conntrack --ctstate NEW -j ACCEPT`, `Accept the forwarded traffic to ${where(p)}`);
}

/** Replies: a DROP policy, no ESTABLISHED accept, and no accept for traffic from the server itself. */
function repliesDropped(rs: RuleSet, c: DnatCheck, chain: Chain | undefined): boolean {
  if (!chain || chain.policy === 'ACCEPT' || acceptsEstablished(rs, chain)) return alwaysDropped(c.replies);
  // the packet is made again when asked (see DnatCheck): only where the rules must be read
  const p = c.packet;
  return !chain.rules.some((r) => {
    if (r.target?.name !== 'ACCEPT') return false;
    const bySource = r.source && !r.source.negated && r.source.value.split(',').some((s) => inNetwork(p.dst!, s) !== 'no');
    const bySport = p.dport !== undefined && r.matches.some((m) => m.options.some((o) => o.name === '--source-port' && !o.negated && o.values[0] && portInRange(p.dport!, o.values[0].value) !== 'no'));
    const open = !r.source && !r.matches.some((m) => m.options.some((o) => o.name === '--destination-port' || o.name === '--ctstate' || o.name === '--state')) && !r.destination;
    return bySource || bySport || open || r.dynamic;
  });
}

import { acceptAtHead } from '../acceptAtHead.ts';
import { passesSome } from '../passesSome.ts';
import type { Packet } from '../../simulate/packet.ts';
import type { LintRule } from '../types.ts';
import { refusedInChain } from '../refusedInChain.ts';

/** The neighbour discovery messages every IPv6 host sends and answers on each link. */
const NDP = [
  { type: 135, name: 'neighbour-solicitation' },
  { type: 136, name: 'neighbour-advertisement' },
] as const;

/**
 * One NDP message as filter `chain` sees it. Conntrack leaves these messages UNTRACKED
 * (measured: they pass an `--ctstate UNTRACKED` rule and neither ESTABLISHED,RELATED nor
 * INVALID), and they never cross `lo`.
 */
function ndpPacket(chain: 'INPUT' | 'OUTPUT', type: number): Packet {
  return { family: 'ipv6', proto: 'ipv6-icmp', icmpType: type, icmpCode: 0, state: 'UNTRACKED', origin: chain === 'INPUT' ? 'remote' : 'local', offLoopback: true, local: [] };
}

export const missingNdpAccept: LintRule = {
  code: 'missing-ndp-accept',
  severity: 'warning',
  summary: 'ip6tables drops neighbour discovery (ICMPv6 neighbour solicitations or advertisements) in INPUT or OUTPUT.',
  docs: {
    description: 'Follows an IPv6 neighbour solicitation (ICMPv6 type 135) and a neighbour advertisement (136) through filter INPUT, as they arrive from the link, and through filter OUTPUT, as the host sends them, and reports the rule or policy where every way through the chain drops or rejects one of them. Conntrack does not track these messages (their state is UNTRACKED), so an ESTABLISHED,RELATED accept does not let them through: they need an accept of their own, such as `-p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT`, or one for all of ICMPv6. A rule set that lets no packet through a link in INPUT or in OUTPUT blocks IPv6 on purpose and is left alone. A host configured by autoconfiguration also needs router advertisements (134), and path MTU discovery needs packet-too-big (2); those are not checked.',
    rationale: 'Neighbour discovery is IPv6\'s ARP. Without it the host can neither find the link-layer address of its neighbours and gateway nor answer theirs: every IPv6 connection through that link times out, SSH over IPv6 included, while the rules look as if they accepted it.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p ipv6-icmp --icmpv6-type neighbour-solicitation -j ACCEPT\n-A INPUT -p ipv6-icmp --icmpv6-type neighbour-advertisement -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    const table = rs.tables.get('ipv6:filter');
    if (!table || !passesSome(rs, 'ipv6', 'INPUT') || !passesSome(rs, 'ipv6', 'OUTPUT')) return;
    for (const name of ['INPUT', 'OUTPUT'] as const) {
      const chain = table.chains.get(name);
      if (!chain) continue;
      const refused = refusedInChain(rs, chain, NDP, (m) => ndpPacket(name, m.type));
      if (!refused) continue;
      const { lost, rule, span } = refused;
      const what = lost.map((m) => `${m.name.replace('neighbour-', 'neighbour ')}s (${m.type})`).join(' and ');
      const verb = refused.verdict === 'REJECT' ? 'rejects' : 'drops';
      ctx.report({
        span,
        message: `ip6tables ${name} ${verb} ICMPv6 ${what}: the host ${name === 'INPUT' ? 'cannot hear' : 'cannot send'} neighbour discovery and loses IPv6 on its links. Conntrack leaves these messages UNTRACKED, so an ESTABLISHED,RELATED accept does not cover them: accept them first.`,
        fixes: acceptAtHead(ctx, chain, rule, lost.map((m) => `-p ipv6-icmp --icmpv6-type ${m.name} -j ACCEPT`), `Accept ${lost.map((m) => m.name).join(' and ')} in ${name}`),
      });
    }
  },
};

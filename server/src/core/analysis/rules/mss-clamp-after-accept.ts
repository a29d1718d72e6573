import type { Rule } from '../../model/types.ts';
import { ruleMatches } from '../../simulate/conditions.ts';
import type { Packet } from '../../simulate/packet.ts';
import { packetMatchedByBoth } from '../../simulate/packetFromRule.ts';
import { hostOfCondition } from '../networkHost.ts';
import { moveBeforeFix } from '../moveBefore.ts';
import type { LintRule } from '../types.ts';

/** The first packet of a new TCP connection (its SYN) both rules are written for, or undefined where their exact values differ. */
function synOfBoth(accept: Rule, clamp: Rule): Packet | undefined {
  const p = packetMatchedByBoth(accept, clamp);
  if (!p || (p.proto !== undefined && p.proto !== 'tcp' && p.proto !== '6')) return undefined;
  p.proto = 'tcp';
  // a network either rule names: a host of it, where the other does not name one
  p.src ??= hostOfCondition(accept.source) ?? hostOfCondition(clamp.source);
  p.dst ??= hostOfCondition(accept.destination) ?? hostOfCondition(clamp.destination);
  return p;
}

export const mssClampAfterAccept: LintRule = {
  code: 'mss-clamp-after-accept',
  severity: 'warning',
  summary: 'An MSS clamp (`-j TCPMSS`) after a rule of its chain that accepts some of the SYN packets it is written for: those connections keep their MSS.',
  docs: {
    description: 'Reports a rule with the TCPMSS target (`--clamp-mss-to-pmtu` or `--set-mss`) when an earlier rule of the same chain accepts the opening SYN of some connections the clamp is written for: a SYN that both rules match (their interfaces, protocol, addresses and ports; a network stands for a host of it), taken as a new connection, so that a conntrack accept of ESTABLISHED,RELATED packets does not count. ACCEPT ends the packet\'s way through the chain, and the clamp after it never sees those SYNs. The usual case is a router\'s FORWARD chain that accepts the LAN\'s traffic to the internet before the clamp. The quick fix moves the clamp before that accept; the mangle table\'s FORWARD chain, which the packets pass before filter, is the other place for it.',
    rationale: 'The clamp is there because a link on the way (PPPoE, a VPN, a tunnel) carries smaller packets than the hosts think, and the ICMP messages that would tell them are often lost. Connections whose SYN is not clamped hang after the handshake on the first full-sized segment: pages that start loading and stop, SSH sessions that freeze on a large output. The rule is in the file and looks right, which makes the cause hard to find.',
    bad: { dialect: 'save', text: '*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o ppp0 -j ACCEPT\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A FORWARD -o ppp0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:FORWARD DROP [0:0]\n-A FORWARD -o ppp0 -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\n-A FORWARD -i eth1 -o ppp0 -j ACCEPT\n-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const t of ctx.ruleSet.tables.values()) {
      for (const chain of t.chains.values()) {
        const rules = chain.rules;
        for (let i = 0; i < rules.length; i++) {
          const clamp = rules[i];
          if (clamp.target?.spec?.name !== 'TCPMSS' || clamp.dynamic || clamp.problems.length) continue;
          for (let j = 0; j < i; j++) {
            const accept = rules[j];
            if (accept.target?.name !== 'ACCEPT' || !accept.target.spec || accept.dynamic) continue;
            const syn = synOfBoth(accept, clamp);
            if (!syn || ruleMatches(accept, syn) !== 'yes' || ruleMatches(clamp, syn) !== 'yes') continue;
            ctx.report({
              span: clamp.target.span,
              message: `This clamp comes after a rule that accepts the SYN of some of the connections it is written for${syn.in || syn.out ? ` (${[syn.in && `in on ${syn.in}`, syn.out && `out on ${syn.out}`].filter(Boolean).join(', ')})` : ''}: their MSS is never clamped, and they may hang after the handshake on a link with a smaller MTU. Put the clamp before that rule, or in the mangle table's ${chain.name} chain.`,
              related: [{ span: accept.span, message: 'accepts those SYN packets first' }],
              fixes: moveBeforeFix(ctx, clamp, accept),
            });
            break;
          }
        }
      }
    }
  },
};

import type { Rule } from '../../model/types.ts';
import { policyPlace } from '../../model/policyPlace.ts';
import { decidingRule, refusedEveryWay } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { packetMatchedBy } from '../../simulate/packetFromRule.ts';
import { acceptAtHead } from '../acceptAtHead.ts';
import { chainsReached } from '../chainsReached.ts';
import { ufwBeforeInput } from '../ufwBeforeChain.ts';
import type { UfwLoad } from '../../model/ufwLoad.ts';
import type { LintRule } from '../types.ts';

/**
 * The first packet of a connection `rule` (a REDIRECT) redirects, as filter INPUT sees it: for
 * the host itself (an address of the interface it came in on, which no rule set knows), to the
 * port `--to-ports` names first, or to the port it was sent to.
 */
function redirected(rule: Rule): Packet {
  const p = packetMatchedBy(rule);
  p.dst = undefined;
  p.out = undefined;
  p.toHost = true;
  const ports = rule.target?.options.find((o) => o.name === '--to-ports')?.values[0];
  if (ports) p.dport = ports.dynamic ? undefined : Number(ports.value.split('-')[0]);
  return p;
}

/** ufw's chain for the rules of before.rules about traffic to the host. */
const ufwInput = (load: UfwLoad) => (load.family === 'ipv6' ? 'ufw6-before-input' : 'ufw-before-input');

/** `-i eth1 -p tcp --dport 3128`: what the redirected connections have in common, as a rule specification. */
function acceptSpec(p: Packet): string | undefined {
  if (!p.proto || p.dport === undefined || Number.isNaN(p.dport)) return undefined;
  return `${p.in ? `-i ${p.in} ` : ''}${p.src ? `-s ${p.src} ` : ''}-p ${p.proto} --dport ${p.dport} -m conntrack --ctstate DNAT -j ACCEPT`;
}

export const redirectWithoutInputAccept: LintRule = {
  code: 'redirect-without-input-accept',
  severity: 'warning',
  summary: 'A REDIRECT (a transparent proxy, a local resolver) whose connections filter INPUT then drops: redirected traffic is the host\'s own, and INPUT must accept it at its new port.',
  docs: {
    description: 'For each REDIRECT rule of nat PREROUTING (or of a chain it reaches), follows the first packet of a connection it redirects (its interface, protocol and source where the rule names them) through filter INPUT as the kernel hands it there: to the host itself, at the port `--to-ports` names (the port it was sent to without it). Reports the REDIRECT where every way through INPUT drops or rejects that packet; related information points at the rule or policy that does. REDIRECT in nat OUTPUT (the host\'s own connections, which reach INPUT over `lo`) is left alone. In ufw\'s before.rules the packet is followed through the tables as ufw loads them: its input policy from /etc/default/ufw (DROP as ufw ships it) and the `ufw allow` rules of user.rules beside it; the fix there accepts the redirected connections in ufw-before-input. Quick fix: an accept of the new port at the head of INPUT, for connections the NAT changed (`-m conntrack --ctstate DNAT`), so the port stays closed to connections made to it directly.',
    rationale: 'REDIRECT changes a connection\'s destination to the host itself: a LAN\'s web traffic sent to a transparent proxy on port 3128, its DNS to a local resolver. The packet then takes the host\'s own way in, filter INPUT, not FORWARD, and at the new port, not the one the client used. A router whose INPUT drops by default and accepts only SSH from the LAN drops every redirected connection, and the LAN loses the web or DNS at once, while the rule that redirects looks right.',
    bad: {
      dialect: 'script',
      text: 'iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -i eth1 -p tcp --dport 22 -j ACCEPT\niptables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128\n',
    },
    good: {
      dialect: 'script',
      text: 'iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -i eth1 -p tcp --dport 22 -j ACCEPT\niptables -A INPUT -i eth1 -p tcp --dport 3128 -m conntrack --ctstate DNAT -j ACCEPT\niptables -t nat -A PREROUTING -i eth1 -p tcp --dport 80 -j REDIRECT --to-ports 3128\n',
    },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const nat of rs.tables.values()) {
      if (nat.name !== 'nat') continue;
      const input = rs.tables.get(`${nat.family}:filter`)?.chains.get('INPUT');
      if (!input) continue;
      const prerouting = nat.chains.get('PREROUTING');
      if (!prerouting) continue;
      // PREROUTING and the chains it reaches: nat OUTPUT's redirects are the host's own
      // connections, which reach INPUT over lo
      for (const chain of chainsReached(nat, prerouting)) {
        for (const rule of chain.rules) {
          if (rule.target?.name !== 'REDIRECT' || rule.dynamic) continue;
          const p = redirected(rule);
          const refused = refusedEveryWay(rs, 'filter', 'INPUT', p);
          if (!refused) continue;
          const decider = decidingRule(refused);
          const place = decider?.span ?? policyPlace(input);
          const spec = acceptSpec(p);
          const port = p.dport !== undefined && !Number.isNaN(p.dport) ? `port ${p.dport}${p.proto ? `/${p.proto}` : ''}` : 'the port it names';
          const title = `Accept the redirected connections to ${port}`;
          ctx.report({
            span: rule.span,
            message: `Connections this rule redirects to the host's ${port} are ${refused.verdict === 'REJECT' ? 'rejected' : 'dropped'} in filter INPUT: after REDIRECT they are for the host itself, and ${ctx.ufw ? `ufw's input rules must accept them at the new port${p.proto && spec ? ` (\`ufw allow ${p.in ? `in on ${p.in} ` : ''}proto ${p.proto} to any port ${p.dport}\`, or an accept in ${ufwInput(ctx.ufw)})` : ''}` : 'INPUT (not FORWARD) must accept them at the new port'}.`,
            ...(place ? { related: [{ span: place, message: decider ? `INPUT ${refused.verdict === 'REJECT' ? 'rejects' : 'drops'} them here` : `INPUT's policy ${input.policy}` }] } : {}),
            fixes: spec ? (ctx.ufw ? ufwBeforeInput(ctx, ctx.ufw, spec, title) : acceptAtHead(ctx, input, decider, [spec], `${title} in INPUT`)) : undefined,
          });
        }
      }
    }
  },
};

import type { Family } from '../../knowledge/types.ts';
import type { Rule } from '../../model/types.ts';
import { ruleMatches } from '../../simulate/conditions.ts';
import { evaluateChain, untracks } from '../../simulate/evaluate.ts';
import { packetMatchedBy } from '../../simulate/packetFromRule.ts';
import { chainsReached } from '../chainsReached.ts';
import type { LintRule } from '../types.ts';

const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];
const TRANSLATES = new Set(['DNAT', 'REDIRECT', 'NETMAP']);

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
      const nat = rs.tables.get(`${family}:nat`);
      if (!raw || !nat) continue;
      for (const hook of ['PREROUTING', 'OUTPUT'] as const) {
        const untracking = raw.chains.get(hook)?.rules.filter((r) => untracks(r) && !r.dynamic) ?? [];
        const start = nat.chains.get(hook);
        if (!untracking.length || !start) continue;
        const reported = new Set<Rule>();
        for (const chain of chainsReached(nat, start)) {
          for (const translation of chain.rules) {
            if (!translation.target || !TRANSLATES.has(translation.target.name) || translation.dynamic) continue;
            // the connections the translation is written for, as raw sees them first
            const p = { ...packetMatchedBy(translation), origin: hook === 'OUTPUT' ? ('local' as const) : ('remote' as const) };
            const outcomes = evaluateChain(rs, 'raw', hook, p);
            if (!outcomes.length || outcomes.some((o) => o.packet.state !== 'UNTRACKED')) continue;
            const notrack = untracking.find((r) => ruleMatches(r, p) !== 'no');
            if (!notrack || reported.has(notrack)) continue;
            reported.add(notrack);
            const what = translation.target.name;
            ctx.report({
              span: notrack.span,
              message: `This rule leaves untracked the connections the ${what} in nat ${chain.name} is written for, and untracked packets skip the nat table: they stay addressed to where they were sent, and the ${what} never applies. Leave them tracked, or untrack only what no translation is for.`,
              related: [{ span: translation.span, message: 'never sees the packets the NOTRACK takes' }],
            });
          }
        }
      }
    }
  },
};

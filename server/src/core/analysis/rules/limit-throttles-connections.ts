import { policyPlace } from '../../model/policyPlace.ts';
import { decidingStep, evaluateChain, type Outcome } from '../../simulate/evaluate.ts';
import { exactProtocol, packetMatchedBy, packetMatchedByBoth } from '../../simulate/packetFromRule.ts';
import type { Table } from '../../model/types.ts';
import type { Span } from '../../text/span.ts';
import { acceptAtHead } from '../acceptAtHead.ts';
import { rateLimitedRules } from '../underRate.ts';
import type { LintRule } from '../types.ts';

/** The rule or policy that drops what goes over the rate, for the related information. */
function dropper(o: Outcome, table: Table): Span | undefined {
  const step = decidingStep(o);
  if (step?.rule) return step.rule.span;
  return policyPlace(step && table.chains.get(step.chain));
}

export const limitThrottlesConnections: LintRule = {
  code: 'limit-throttles-connections',
  severity: 'warning',
  summary: 'A rate limit on TCP that packets of established connections reach too, the excess dropped: it throttles the connections themselves, not how many are opened.',
  docs: {
    description: 'Reports the rate of a filter rule that accepts TCP packets under a rate (`-m limit`, or `-m hashlimit` without `--hashlimit-above`) when the packets of connections already established reach it (followed from the built-in chains that jump to it, for a user chain: no earlier rule accepts them, and the rule does not test for new connections with `-m conntrack --ctstate NEW` or `--syn`) and those over the rate are dropped or rejected on every way on. Such a rule is usually written to slow down new connections (SSH brute force, a SYN flood), but it counts every packet of every connection: past the burst, an SSH session or a download gets a few packets a minute and stalls. The quick fix accepts ESTABLISHED,RELATED at the head of the chain, so that the limit sees the packets that open connections only. ICMP and UDP limits are left alone: throttling every echo request is what a ping limit is for.',
    rationale: 'The classic "protect SSH" or "SYN flood" rule from older tutorials works while nobody uses the service and breaks it once someone does: the first few packets pass, then the session freezes, and nothing in the rules looks wrong.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -m limit --limit 3/min --limit-burst 5 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -m limit --limit 3/min --limit-burst 5 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const { table, chain, rule, limit, verdict, hooks } of rateLimitedRules(rs)) {
      const proto = exactProtocol(rule);
      if (verdict !== 'ACCEPT' || (proto !== 'tcp' && proto !== '6')) continue;
      // a packet of a connection the rule is written for, once established, from each rule of a
      // built-in chain that jumps to its user chain (its packets are the jump's too), or else
      // from the hooks: every way it goes reaches the rule, and where it is over the rate, it is dropped
      const jumps = chain.builtin ? [] : [...table.chains.values()].flatMap((c) => (c.builtin ? c.rules.filter((r) => r.target?.name === chain.name && !r.target.spec) : []));
      const starts = jumps.length
        ? jumps.flatMap((j) => {
            const p = packetMatchedByBoth(j, rule);
            return p ? [{ hook: j.chain, packet: p }] : [];
          })
        : hooks.map((hook) => ({ hook, packet: packetMatchedBy(rule) }));
      const ways = starts.flatMap(({ hook, packet }) => evaluateChain(rs, 'filter', hook, { ...packet, state: 'ESTABLISHED' }));
      if (!ways.length || !ways.every((o) => o.assumptions.some((a) => a.rule === rule))) continue;
      const excess = ways.filter((o) => o.assumptions.some((a) => a.rule === rule && !a.matched));
      if (!excess.length || !excess.every((o) => o.verdict === 'DROP' || o.verdict === 'REJECT')) continue;
      const dropped = dropper(excess[0], table);
      ctx.report({
        span: limit.span,
        message: `Packets of established connections reach this ${limit.name} too: it counts every packet of the connections it lets in, and past the burst drops theirs as well, so a session stalls. Accept ESTABLISHED,RELATED before it, so that it limits new connections only.`,
        related: dropped ? [{ span: dropped, message: `the established connections' packets over the rate are ${excess[0].verdict === 'REJECT' ? 'rejected' : 'dropped'} here` }] : undefined,
        fixes: acceptAtHead(ctx, chain, rule, ['-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'], `Accept ESTABLISHED,RELATED at the head of ${chain.name}`),
      });
    }
  },
};

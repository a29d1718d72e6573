import type { Family } from '../../knowledge/types.ts';
import type { Rule, RuleSet } from '../../model/types.ts';
import { certainlyRefused, decidingRule, definiteVerdict, evaluateChain, plainestOutcome, type Outcome } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { packetAtHook, untrackingRules } from '../untrackingRules.ts';

const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/** A port of Linux's ephemeral range (net.ipv4.ip_local_port_range, 32768-60999 by default). */
const EPHEMERAL_PORT = 40000;

/** What refused an outcome, as a finding says it: a rule (its line goes in `related`) or the chain's policy. */
function decider(o: Outcome): { rule?: Rule; said: string } {
  const rule = decidingRule(o);
  if (!rule) return { said: `the ${o.verdict} policy drops them` };
  return { rule, said: `a rule ${rule.target?.name === 'REJECT' ? 'rejects' : 'drops'} them` };
}

/** The accept's state test that lists NEW: adding UNTRACKED beside it lets the untracked packets in as it meant to. */
function addUntrackedFix(accept: Rule | undefined): Fix[] {
  for (const m of accept?.matches ?? []) {
    if (m.name !== 'conntrack' && m.name !== 'state') continue;
    const o = m.options.find((x) => (x.name === '--ctstate' || x.name === '--state') && !x.negated);
    const w = o?.values[0];
    if (!w || w.dynamic || !w.value.toUpperCase().split(',').includes('NEW')) continue;
    return [{ title: `Accept untracked packets here too (${o!.name} ${w.value},UNTRACKED)`, edits: [{ span: { start: w.span.end, end: w.span.end }, text: ',UNTRACKED' }] }];
  }
  return [];
}

/** Incoming packets raw PREROUTING leaves untracked: a filter chain that takes them as NEW connections and drops them untracked. */
function incoming(ctx: RuleContext, rule: Rule, p: Packet): void {
  const rs = ctx.ruleSet;
  for (const chain of ['INPUT', 'FORWARD']) {
    const asNew = evaluateChain(rs, 'filter', chain, { ...p, state: 'NEW' });
    if (definiteVerdict(asNew) !== 'ACCEPT') continue;
    const refused = certainlyRefused(evaluateChain(rs, 'filter', chain, { ...p, state: 'UNTRACKED' }));
    if (!refused) continue;
    const accept = decidingRule(plainestOutcome(asNew)!);
    const drop = decider(refused);
    ctx.report({
      span: rule.span,
      message: `filter ${chain} lets these packets in as new connections${accept ? '' : ' by its policy'}, but this rule leaves them untracked (state UNTRACKED, which no state test of NEW or ESTABLISHED takes), and ${drop.said}. Accept UNTRACKED where NEW is accepted, or track them.`,
      related: [...(accept ? [{ span: accept.span, message: 'accepts them as NEW connections' }] : []), ...(drop.rule ? [{ span: drop.rule.span, message: 'drops them untracked' }] : [])],
      fixes: addUntrackedFix(accept),
    });
    return;
  }
}

/**
 * The host's own packets raw OUTPUT leaves untracked: their answers have no connection to
 * belong to. A UDP answer starts a new one (NEW), a TCP SYN-ACK is INVALID (measured; later
 * segments are picked up as NEW), unless raw PREROUTING untracks the answers too.
 */
function answers(ctx: RuleContext, rule: Rule, p: Packet): void {
  const rs = ctx.ruleSet;
  // the host's own connections leave from a port of its ephemeral range unless the rule names one
  const answer: Packet = { family: p.family, in: p.out, proto: p.proto, src: p.dst, sport: p.dport, dst: p.src, dport: p.sport ?? EPHEMERAL_PORT, state: p.proto === 'tcp' ? 'INVALID' : 'NEW', origin: 'remote', local: [] };
  // what raw PREROUTING makes of them: the same state on every way through, or nothing is said
  const raw = evaluateChain(rs, 'raw', 'PREROUTING', answer);
  const state = raw[0]?.packet.state;
  if (!state || raw.some((o) => o.packet.state !== state || o.verdict !== 'ACCEPT')) return;
  const asReplies = evaluateChain(rs, 'filter', 'INPUT', { ...answer, state: 'ESTABLISHED' });
  if (definiteVerdict(asReplies) !== 'ACCEPT') return;
  const refused = certainlyRefused(evaluateChain(rs, 'filter', 'INPUT', { ...answer, state }));
  if (!refused) return;
  const accept = decidingRule(plainestOutcome(asReplies)!);
  const drop = decider(refused);
  ctx.report({
    span: rule.span,
    message: `The answers to the packets this rule leaves untracked have no connection to belong to: they arrive in state ${state}${state === 'INVALID' ? ' (a SYN-ACK nothing asked for)' : ''}, not ESTABLISHED, and ${drop.said} in filter INPUT, which lets answers in only as ESTABLISHED. Untrack and accept the answers explicitly, or leave these packets tracked.`,
    related: [...(accept ? [{ span: accept.span, message: 'accepts answers as ESTABLISHED' }] : []), ...(drop.rule ? [{ span: drop.rule.span, message: `drops them as ${state}` }] : [])],
  });
}

export const untrackedTrafficDropped: LintRule = {
  code: 'untracked-traffic-dropped',
  severity: 'warning',
  summary: 'A raw-table NOTRACK (or CT --notrack) whose packets, or their answers, filter drops: state tests of NEW and ESTABLISHED do not take untracked traffic.',
  docs: {
    description: 'Follows the packets each NOTRACK or `CT --notrack` rule of raw PREROUTING and raw OUTPUT (or of a chain they jump to) matches (its own protocol, addresses, ports and interfaces). For PREROUTING: where filter INPUT or FORWARD would accept them as new connections but drops them in state UNTRACKED (an accept that tests `--ctstate NEW`, then a DROP policy), the NOTRACK rule is reported, with a fix that adds UNTRACKED to that accept\'s states. For OUTPUT (the host\'s own packets): their answers come back with no connection to belong to, in state NEW (UDP and others) or INVALID (a TCP SYN-ACK), or UNTRACKED where raw PREROUTING untracks them too; where filter INPUT accepts answers in state ESTABLISHED and drops these, the NOTRACK rule is reported. Shell expansions and tests the analysis cannot decide leave a rule unreported.',
    rationale: 'NOTRACK is a common tuning for busy DNS and NTP servers, and it takes the packets out of connection tracking entirely: they are neither NEW nor ESTABLISHED but UNTRACKED, and nat does not see them. A rule set written around `--ctstate ESTABLISHED,RELATED` and `--ctstate NEW` accepts then drops them, and the service stops answering while every rule looks right. Measured with iptables 1.8.9 in network namespaces: a UDP service accepted with `--ctstate NEW` gets nothing once its port is untracked; a host that untracks its own queries loses every answer (UDP answers arrive as NEW, a TCP SYN-ACK as INVALID).',
    bad: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n' },
    good: { dialect: 'script', text: 'iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p udp --dport 53 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 53 -j CT --notrack\n' },
  },
  check(ctx) {
    const rs: RuleSet = ctx.ruleSet;
    for (const family of FAMILIES) {
      const raw = rs.tables.get(`${family}:raw`);
      if (!raw || !rs.tables.has(`${family}:filter`)) continue;
      for (const hook of ['PREROUTING', 'OUTPUT'] as const) {
        for (const rule of untrackingRules(raw, hook)) {
          const p = packetAtHook(rule, hook);
          if (hook === 'PREROUTING') incoming(ctx, rule, p);
          else answers(ctx, rule, p);
        }
      }
    }
  },
};

import type { Family } from '../../knowledge/types.ts';
import type { BoundOption, Chain, Rule } from '../../model/types.ts';
import { anySource } from '../anySource.ts';
import { hooksReachingChain } from '../chainGraph.ts';
import { inputClosing } from '../inputClosing.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** The protocol matches whose source port a sender picks freely. */
const PORT_MATCHES = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);

/**
 * Matches that do not narrow who may send (a comment, a rate): a rule with any other match
 * (conntrack, recent, set, owner…) may well be narrow, and is left alone.
 */
const NOT_NARROWING = new Set(['comment', 'limit', 'pkttype', 'addrtype']);

/** Options of the protocol matches that keep new connections out (`! --syn`) or test more than ports: left alone. */
const FLAGS = new Set(['--syn', '--tcp-flags', '--tcp-option', '--chunk-types', '--dccp-types', '--dccp-option']);

/**
 * The option that admits packets by their source port alone, when `rule` does nothing else
 * that narrows what it accepts: no destination port, no source address, no connection state,
 * not on the loopback interface. Undefined otherwise.
 */
function sourcePortOnly(rule: Rule): BoundOption | undefined {
  if (rule.dynamic || rule.problems.length || rule.fragment) return undefined;
  if (rule.source && !anySource(rule.family, rule.source)) return undefined;
  if (rule.inInterface && (rule.inInterface.negated || rule.inInterface.value === 'lo')) return undefined;
  let port: BoundOption | undefined;
  for (const m of rule.matches) {
    const name = m.spec?.name;
    if (name === undefined) return undefined;
    if (NOT_NARROWING.has(name)) continue;
    if (!PORT_MATCHES.has(name) && name !== 'multiport') return undefined;
    for (const o of m.options) {
      const option = o.spec?.name;
      // multiport's `--ports` takes a packet whose source or destination port is listed: from
      // port 53 to any port too
      if (option === '--source-port' || option === '--source-ports' || option === '--ports') {
        // `! --sport 53` admits every other port: not the hole this rule is about
        if (o.negated) return undefined;
        port = o;
      } else if (option === undefined || FLAGS.has(option) || option.startsWith('--destination-port')) return undefined;
    }
  }
  return port;
}

/** Whether the filter chain `chain` of `family` is reached from a built-in INPUT or FORWARD that ends closed. */
function closedHooks(ctx: RuleContext, family: Family, chain: Chain): string[] {
  const table = ctx.ruleSet.tables.get(`${family}:filter`);
  if (!table) return [];
  const hooks = chain.builtin ? [chain.name] : hooksReachingChain(ctx.ruleSet, family, 'filter', chain.name);
  return hooks.filter((h) => (h === 'INPUT' || h === 'FORWARD') && inputClosing(table.chains.get(h), table) !== undefined);
}

const REPLIES = '-m conntrack --ctstate ESTABLISHED ';

export const sourcePortAccept: LintRule = {
  code: 'source-port-accept',
  severity: 'warning',
  summary: 'An ACCEPT in INPUT or FORWARD by source port alone (`-p udp --sport 53 -j ACCEPT`): anyone who sends from that port reaches every port.',
  docs: {
    description: 'Reports a rule of the filter table, in INPUT or FORWARD or a chain they jump to, that accepts tcp, udp, sctp or dccp packets by their source port (`--sport`, multiport\'s `--sports`, or its `--ports`, which takes a listed port on either side) and nothing else that narrows them: no destination port, no source address, no connection state, not only on the loopback interface (a comment or a rate limit do not count, and a rule with other matches, such as conntrack, recent or set, is left alone). Only where the chain ends closed (a DROP or REJECT policy or last rule), since otherwise the rule opens nothing. TCP rules with `! --syn` or `--tcp-flags` are left alone: those keep new connections out. Quick fix: accept only packets of connections the host already has (`-m conntrack --ctstate ESTABLISHED`), which is what such rules are written for; for `--ports`, test the destination port only (`--dports`).',
    rationale: 'Rules such as `--sport 53 -j ACCEPT` or `--sport 80 -j ACCEPT` are written to let the answers of DNS or web servers in, before conntrack was at hand. The source port is chosen by the sender: anyone can send from port 53 (`nmap -g 53`, `nc -p 53`) and reach every port of the host, or of the hosts behind a router, through the firewall. Measured with iptables 1.8.9: with INPUT dropping and `-p tcp --sport 80 -j ACCEPT`, a connection to a port nothing else opens gets through from source port 80 and times out from any other port; with the fix it times out from port 80 too.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p udp --sport 53 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const table = ctx.ruleSet.tables.get(`${family}:filter`);
      if (!table) continue;
      for (const chain of table.chains.values()) {
        let hooks: string[] | undefined;
        for (const rule of chain.rules) {
          if (rule.target?.name !== 'ACCEPT' || rule.target.goto) continue;
          const port = sourcePortOnly(rule);
          if (!port) continue;
          hooks ??= closedHooks(ctx, family, chain);
          if (!hooks.length) break;
          const value = port.keptValue ?? port.values[0]?.value ?? '';
          const protocol = rule.protocol?.value ?? 'tcp';
          const where = hooks.includes('FORWARD') ? (hooks.includes('INPUT') ? 'every port of this host and of the hosts behind it' : 'every port of the hosts behind this router') : 'every port of this host';
          const either = port.spec?.name === '--ports';
          const from = value.includes(',') || value.includes(':') ? 'one of those ports' : `port ${value}`;
          ctx.report({
            span: port.item.span,
            message: either
              ? `Accepts ${protocol} packets whose source or destination port is ${value}: anyone who sends from ${from} reaches ${where} that ${chain.builtin ? chain.name : hooks.join(' and ')} would drop. To accept connections to those ports, test --dports.`
              : `Accepts ${protocol} packets by their source port (${value}) alone: anyone who sends from ${from} reaches ${where} that ${chain.builtin ? chain.name : hooks.join(' and ')} would drop. To let replies in, accept -m conntrack --ctstate ESTABLISHED instead.`,
            fixes: either ? destinationOnly(port) : fixFor(rule),
          });
        }
      }
    }
  },
};

/** multiport's `--ports` as `--dports`: the connections to those ports, not those from them. */
function destinationOnly(port: BoundOption): Fix[] {
  return [{ title: 'Match the destination port only (--dports)', edits: [{ span: port.item.nameSpan, text: '--dports' }] }];
}

/** Accept only packets of connections the host already has: the test goes before the jump. */
function fixFor(rule: Rule): Fix[] {
  const jump = rule.options.find((o) => o.spec?.name === '--jump');
  if (!jump) return [];
  const at = jump.item.span.start;
  return [{ title: 'Accept only replies (conntrack ESTABLISHED)', edits: [{ span: { start: at, end: at }, text: REPLIES }] }];
}

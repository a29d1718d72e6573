import type { Chain, Rule, RuleSet, Table } from '../../model/types.ts';
import { interfaceMatches, ruleMatches } from '../../simulate/conditions.ts';
import { decidingRule, evaluateChain, type Outcome } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactDestinationPort, exactProtocol, packetMatchedBy } from '../../simulate/packetFromRule.ts';
import { chainFacts } from '../chainGraph.ts';
import { dnatForwards } from '../dnatPaths.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

/** A DNAT that takes every new connection the INPUT rule is written for, arriving as `arrival` says. */
interface Bypass {
  dnat: Rule;
  /** Where the connections arrive for the DNAT to take them all: undefined for any interface. */
  arrival?: { on: string } | { notOn: string[] };
}

/**
 * The DNAT of nat PREROUTING that every way through takes for `packet`, when each one is a
 * DNAT whose connections are forwarded (not to a loopback address). Undefined otherwise.
 */
function forwardedByDnat(rs: RuleSet, outcomes: readonly Outcome[]): Rule | undefined {
  let first: Rule | undefined;
  for (const o of outcomes) {
    const rule = decidingRule(o);
    if (rule?.target?.name !== 'DNAT' || !o.rewrites.destination || !dnatForwards(rs, rule)) return undefined;
    first ??= rule;
  }
  return first;
}

/**
 * A name that none of `patterns` matches (interface names are at most 15 characters): the
 * packets that arrive on an interface no rule names.
 */
function unnamedInterface(patterns: readonly string[]): string {
  for (let i = 0; ; i++) {
    const name = `unnamed${i}`;
    if (!patterns.some((p) => interfaceMatches(p, name))) return name;
  }
}

/** The interface patterns the rules an evaluation was unsure of test (`-i eth0`, `! -i docker0`, `-i veth+`). */
function testedInterfaces(outcomes: readonly Outcome[]): string[] {
  const out = new Set<string>();
  for (const o of outcomes) for (const a of o.assumptions) if (a.rule.inInterface && !a.rule.inInterface.word.dynamic) out.add(a.rule.inInterface.value);
  return [...out];
}

/** A name the pattern matches: itself, or for `veth+` a name it stands for. */
function nameFor(pattern: string): string {
  return pattern.endsWith('+') ? `${pattern.slice(0, -1)}0` : pattern;
}

/**
 * Whether nat PREROUTING sends every new connection `rule` (of filter INPUT) is written for to
 * another host. The packet is the rule's own (protocol, port, addresses and interface where it
 * names exactly one) and is for this host, as every packet INPUT sees. Where the rule names no
 * interface and PREROUTING tests some, each interface it tests (and one it does not) is tried.
 */
function bypassOf(rs: RuleSet, rule: Rule, evaluate: (p: Packet) => Outcome[]): Bypass | undefined {
  const packet: Packet = { ...packetMatchedBy(rule), origin: 'remote', toHost: true };
  const outcomes = evaluate(packet);
  const all = forwardedByDnat(rs, outcomes);
  if (all) return { dnat: all };
  if (packet.in !== undefined || !outcomes.some((o) => decidingRule(o)?.target?.name === 'DNAT')) return undefined;
  const patterns = testedInterfaces(outcomes);
  // only interfaces the INPUT rule itself takes (`-i eth+` takes eth1, not wg0)
  const takes = (name: string) => ruleMatches(rule, { ...packet, in: name }) !== 'no';
  const taken = new Map<string, Rule | undefined>();
  for (const name of [unnamedInterface(patterns), ...patterns.map(nameFor)]) {
    if (!taken.has(name)) taken.set(name, takes(name) ? forwardedByDnat(rs, evaluate({ ...packet, in: name })) : undefined);
  }
  const [unnamed, ...named] = [...taken];
  if (unnamed[1]) return { dnat: unnamed[1], arrival: { notOn: named.filter(([, r]) => !r).map(([n]) => n) } };
  const on = named.find(([, r]) => r);
  return on && { dnat: on[1]!, arrival: { on: on[0] } };
}

/** The filter INPUT chain and the user chains only INPUT reaches: what they drop is meant for this host. */
function inputChains(rs: RuleSet, table: Table): Chain[] {
  const graph = chainFacts(rs).graph(table);
  return [...table.chains.values()].filter((c) => {
    if (c.builtin) return c.name === 'INPUT';
    const hooks = graph.hooksReaching(c.name);
    return hooks.length === 1 && hooks[0] === 'INPUT';
  });
}

export const inputRuleBypassedByDnat: LintRule = {
  code: 'input-rule-bypassed-by-dnat',
  severity: 'warning',
  summary: 'A filter INPUT rule drops or rejects connections to a port that nat PREROUTING sends to another host: the rule never sees them.',
  docs: {
    description: 'For each rule of filter INPUT (or of a chain only INPUT reaches) that drops or rejects a protocol and one destination port, follows a new connection to that port, addressed to this host, through nat PREROUTING. When every way through ends in a DNAT to another address, the connection is routed to FORWARD and never reaches the INPUT rule. Where the INPUT rule names no interface and PREROUTING tests some (Docker\'s `! -i docker0`), the connections arriving on each are tried, and the message says on which interfaces the DNAT takes them. `-m addrtype --dst-type LOCAL`, which Docker and kube-proxy put in front of their DNATs, matches these packets. The quick fix adds the same block to `DOCKER-USER` when the rules have that chain, else to FORWARD, matching the original port with `-m conntrack --ctstate DNAT --ctorigdstport`.',
    rationale: 'The best known case is Docker: publishing a port adds a DNAT in nat PREROUTING, and the rule in INPUT (or ufw\'s deny) that was meant to close the port does nothing, the service stays open to everyone. The same holds for Kubernetes NodePorts and for any hand-written port forward: the filter table sees the translated connection in FORWARD, with the new destination.',
    bad: {
      dialect: 'save',
      text: '*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:DOCKER-USER - [0:0]\n-A INPUT -p tcp --dport 8080 -j DROP\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -j ACCEPT\n-A DOCKER-USER -j RETURN\nCOMMIT\n',
    },
    good: {
      dialect: 'save',
      text: '*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:DOCKER-USER - [0:0]\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -j ACCEPT\n-A DOCKER-USER -p tcp -m conntrack --ctstate DNAT --ctorigdstport 8080 -j DROP\n-A DOCKER-USER -j RETURN\nCOMMIT\n',
    },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const family of ['ipv4', 'ipv6'] as const) {
      const filter = rs.tables.get(`${family}:filter`);
      if (!filter || !rs.tables.get(`${family}:nat`)?.chains.get('PREROUTING')) continue;
      // no DNAT that forwards, nothing to look for: the common case, and a kube-proxy dump's
      // filter table is never walked
      if (!chainFacts(rs).dnats.some((c) => c.family === family && c.rule && dnatForwards(rs, c.rule))) continue;
      // rules that block the same port share one evaluation
      const memo = new Map<string, Outcome[]>();
      const evaluate = (p: Packet) => {
        const key = `${p.proto}|${p.dport}|${p.in}|${p.src}|${p.dst}`;
        let o = memo.get(key);
        if (!o) memo.set(key, (o = evaluateChain(rs, 'nat', 'PREROUTING', p)));
        return o;
      };
      for (const chain of inputChains(rs, filter)) {
        for (const rule of chain.rules) {
          const verdict = rule.target?.spec ? rule.target.name : undefined;
          if ((verdict !== 'DROP' && verdict !== 'REJECT') || rule.dynamic) continue;
          const proto = exactProtocol(rule);
          const port = exactDestinationPort(rule);
          if (!proto || port === undefined) continue;
          const bypass = bypassOf(rs, rule, evaluate);
          if (!bypass) continue;
          const to = bypass.dnat.target?.options.find((o) => o.name === '--to-destination')?.values[0]?.value ?? 'another host';
          const a = bypass.arrival;
          const arriving = !a ? '' : 'on' in a ? ` arriving on ${a.on}` : a.notOn.length ? ` arriving on interfaces other than ${a.notOn.join(', ')}` : '';
          ctx.report({
            span: rule.span,
            message: `This rule never sees new ${proto} connections to port ${port}${arriving}: nat PREROUTING translates them to ${to}, so they are routed to FORWARD, not INPUT. Block them in ${blockChain(filter)} by their original port (-m conntrack --ctstate DNAT --ctorigdstport ${port}).`,
            related: [{ span: bypass.dnat.span, message: `DNAT to ${to}` }],
            fixes: fixFor(ctx, filter, rule, proto, port),
          });
        }
      }
    }
  },
};

/** Where forwarded connections are blocked: Docker's chain for the user's own rules when there is one, else FORWARD. */
function blockChain(filter: Table): string {
  const user = filter.chains.get('DOCKER-USER');
  return user && !user.builtin ? 'DOCKER-USER' : 'FORWARD';
}

/** The INPUT rule's block as a rule for forwarded connections: the same tests, the port as it was before DNAT. */
function blockSpec(rule: Rule, proto: string, port: number): string {
  const parts: string[] = [];
  const cond = (c: Rule['source'], option: string) => c && parts.push(`${c.negated ? '! ' : ''}${option} ${c.word.text}`);
  cond(rule.inInterface, '-i');
  cond(rule.source, '-s');
  parts.push(`-p ${proto} -m conntrack --ctstate DNAT`);
  cond(rule.destination, '--ctorigdst');
  parts.push(`--ctorigdstport ${port}`);
  const t = rule.target!;
  parts.push(`-j ${t.name}`);
  for (const o of t.options) parts.push([o.name, ...o.values.map((v) => v.text)].join(' '));
  return parts.join(' ');
}

/**
 * Save files: the block at the head of the chain (before DOCKER-USER's RETURN), or beside the
 * INPUT rule when the chain has no rules yet. Scripts: inserted at the head of the chain on the
 * line after the INPUT rule's command, with its tool word and indentation.
 */
function fixFor(ctx: RuleContext, filter: Table, rule: Rule, proto: string, port: number): Fix[] {
  const name = blockChain(filter);
  const spec = blockSpec(rule, proto, port);
  const title = `Block connections to port ${port} in ${name} by their original port`;
  if (ctx.ruleSet.dialect === 'save') {
    const head = filter.chains.get(name)?.rules[0]?.span.start ?? rule.span.start;
    const at = ctx.text.lastIndexOf('\n', head - 1) + 1;
    return [{ title, edits: [{ span: { start: at, end: at }, text: `-A ${name} ${spec}\n` }] }];
  }
  const cmd = ctx.ruleSet.commands.find((c) => c.rule === rule);
  if (!cmd) return [];
  const lineStart = ctx.text.lastIndexOf('\n', cmd.span.start - 1) + 1;
  const indent = /^[ \t]*/.exec(ctx.text.slice(lineStart, cmd.span.start))![0];
  const tool = /^\S+/.exec(ctx.text.slice(cmd.span.start, cmd.span.end))?.[0];
  if (!tool) return [];
  const end = ctx.text.indexOf('\n', cmd.span.end);
  const at = end === -1 ? ctx.text.length : end + 1;
  return [{ title, edits: [{ span: { start: at, end: at }, text: `${end === -1 ? '\n' : ''}${indent}${tool} -I ${name} ${spec}\n` }] }];
}

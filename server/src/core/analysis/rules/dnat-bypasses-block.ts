import type { BoundOption, Chain, Rule, RuleSet, Table } from '../../model/types.ts';
import { inNetwork, interfaceMatches, interfaceNameFor, ruleMatches } from '../../simulate/conditions.ts';
import { decidingRule, evaluateChain, type Outcome } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactDestinationPort, exactProtocol, packetMatchedBy } from '../../simulate/packetFromRule.ts';
import { chainFacts } from '../chainGraph.ts';
import { dnatForwards } from '../dnatPaths.ts';
import { commandIndent, commandTool, lineAfter } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';
import { commandOfRule } from '../commandOfRule.ts';

/** The DNAT that takes every new connection a blocking rule is written for, arriving as `arrival` says. */
interface Bypass {
  dnat: Rule;
  /** The ways through nat PREROUTING, each ending in a DNAT to another host. */
  outcomes: readonly Outcome[];
  /** Where the connections arrive for the DNAT to take them all: undefined for any interface. */
  arrival?: { on: string } | { notOn: string[] };
}

/** The first DNAT, when every way through nat PREROUTING ends in a DNAT whose connections are forwarded (not to a loopback address). */
function forwardedByDnat(rs: RuleSet, outcomes: readonly Outcome[]): Rule | undefined {
  let first: Rule | undefined;
  for (const o of outcomes) {
    const rule = decidingRule(o);
    if (rule?.target?.name !== 'DNAT' || !o.rewrites.destination || !dnatForwards(rs, rule)) return undefined;
    first ??= rule;
  }
  return first;
}

/** A name none of `patterns` matches: the packets that arrive on an interface no rule names. */
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

/**
 * Whether nat PREROUTING sends every new connection `packet` stands for (addressed to this
 * host) to another host. Where the packet has no interface and PREROUTING tests some, each
 * interface it tests (and one it does not) is tried, among those the blocking rule takes.
 */
function bypassOf(rs: RuleSet, packet: Packet, takes: (inInterface: string) => boolean, evaluate: (p: Packet) => Outcome[]): Bypass | undefined {
  const outcomes = evaluate(packet);
  const all = forwardedByDnat(rs, outcomes);
  if (all) return { dnat: all, outcomes };
  if (packet.in !== undefined || !outcomes.some((o) => decidingRule(o)?.target?.name === 'DNAT')) return undefined;
  const patterns = testedInterfaces(outcomes);
  const tried = new Map<string, { dnat: Rule; outcomes: Outcome[] } | undefined>();
  for (const name of [unnamedInterface(patterns), ...patterns.map(interfaceNameFor)]) {
    if (tried.has(name)) continue;
    const these = takes(name) ? evaluate({ ...packet, in: name }) : [];
    const dnat = these.length ? forwardedByDnat(rs, these) : undefined;
    tried.set(name, dnat && { dnat, outcomes: these });
  }
  const [unnamed, ...named] = [...tried];
  if (unnamed[1]) return { ...unnamed[1], arrival: { notOn: named.filter(([, r]) => !r).map(([n]) => n) } };
  const on = named.find(([, r]) => r);
  return on && { ...on[1]!, arrival: { on: on[0] } };
}

/** The built-in chain and the user chains only it reaches: a rule there sees what that hook sees. */
function chainsOf(rs: RuleSet, table: Table, hook: 'INPUT' | 'FORWARD'): Chain[] {
  const graph = chainFacts(rs).graph(table);
  return [...table.chains.values()].filter((c) => {
    if (c.builtin) return c.name === hook;
    const hooks = graph.hooksReaching(c.name);
    return hooks.length === 1 && hooks[0] === hook;
  });
}

/** A rule that drops or rejects one protocol and one destination port: a port closed on purpose. */
function blockedPort(rule: Rule): { proto: string; port: number } | undefined {
  const verdict = rule.target?.spec ? rule.target.name : undefined;
  if ((verdict !== 'DROP' && verdict !== 'REJECT') || rule.dynamic) return undefined;
  const proto = exactProtocol(rule);
  const port = exactDestinationPort(rule);
  return proto && port !== undefined ? { proto, port } : undefined;
}

/** The destination port tests of the two ways a rule names them (`--dport`, multiport's `--dports`). */
const PORT_TESTS = new Set(['--destination-port', '--destination-ports']);

/**
 * The ports a rule that drops or rejects a range or list of ports (`--dport 8000:8100`,
 * `-m multiport --dports 80,8080`, as ufw writes a denied range) closes among those the DNATs
 * of its family name: the ports where a DNAT may take connections past it. At most a few.
 */
function blockedAmong(rule: Rule, packet: Packet, dnatPorts: () => readonly number[]): { proto: string; ports: number[] } | undefined {
  const verdict = rule.target?.spec ? rule.target.name : undefined;
  if ((verdict !== 'DROP' && verdict !== 'REJECT') || rule.dynamic || !packet.proto) return undefined;
  if (!rule.matches.some((m) => m.options.some((o) => PORT_TESTS.has(o.name) && !o.negated))) return undefined;
  const ports = dnatPorts().filter((port) => ruleMatches(rule, { ...packet, dport: port }) !== 'no').slice(0, 8);
  return ports.length ? { proto: packet.proto, ports } : undefined;
}

/** The ports a rule that drops or rejects closes: its one port, or those of its range or list that DNATs name (see blockedAmong). */
function portsBlocked(rule: Rule, packet: Packet, dnatPorts: () => readonly number[]): { proto: string; ports: number[] } | undefined {
  const one = blockedPort(rule);
  return one ? { proto: one.proto, ports: [one.port] } : blockedAmong(rule, packet, dnatPorts);
}

function arrivalText(a: Bypass['arrival']): string {
  if (!a) return '';
  if ('on' in a) return ` arriving on ${a.on}`;
  return a.notOn.length ? ` arriving on interfaces other than ${a.notOn.join(', ')}` : '';
}

function destinationOf(dnat: Rule): string {
  return dnat.target?.options.find((o) => o.name === '--to-destination')?.values[0]?.value ?? 'another host';
}

export const dnatBypassesBlock: LintRule = {
  code: 'dnat-bypasses-block',
  severity: 'warning',
  summary: 'A rule drops or rejects a port that nat PREROUTING translates: in INPUT it never sees those connections, in FORWARD it sees the new port.',
  docs: {
    description: 'For each rule that drops or rejects one protocol and one destination port (or a range or list of ports, tried at the ports DNATs name), in filter INPUT or FORWARD (or a chain only one of them reaches, such as Docker\'s `DOCKER-USER`), follows a new connection to that port, addressed to this host, through nat PREROUTING. When every way through ends in a DNAT to another address, the connection is routed to FORWARD: a rule of INPUT never sees it, and a rule of FORWARD sees the translated destination, so it misses the connection when the DNAT changes the port (a FORWARD rule is checked when it is written for those connections: in `DOCKER-USER`, or naming the interface they arrive on or the address DNAT sends them to; one for all routed traffic to the port has other work). Where the rule names no interface and PREROUTING tests some (Docker\'s `! -i docker0`), the connections arriving on each are tried, and the message says on which interfaces the DNAT takes them. `-m addrtype --dst-type LOCAL`, which Docker and kube-proxy put in front of their DNATs, matches these packets. Quick fixes: for INPUT, the same block in `DOCKER-USER` when the rules have that chain, else in FORWARD; for FORWARD, the rule matches the original port (or range of ports) instead; a multiport list is left to the user. Both use `-m conntrack --ctstate DNAT --ctorigdstport`.',
    rationale: 'The best known case is Docker: publishing a port adds a DNAT in nat PREROUTING, and the rule in INPUT (or ufw\'s deny) that was meant to close the port does nothing; the service stays open to everyone. A rule in DOCKER-USER that names the published port misses it too, because after DNAT the packet carries the container\'s port. The same holds for Kubernetes NodePorts and for any hand-written port forward.',
    bad: {
      dialect: 'save',
      text: '*nat\n:PREROUTING ACCEPT [0:0]\n:DOCKER - [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:DOCKER-USER - [0:0]\n-A INPUT -p tcp --dport 8080 -j DROP\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -j ACCEPT\n-A DOCKER-USER -s 198.51.100.0/24 -p tcp --dport 8080 -j DROP\n-A DOCKER-USER -j RETURN\nCOMMIT\n',
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
      // no DNAT that forwards (the common case: no port forward at all), nothing to look for
      if (!chainFacts(rs).dnats.some((c) => c.family === family && c.rule && dnatForwards(rs, c.rule))) continue;
      // the ports DNATs of this family name, where a range or list of closed ports can be
      // bypassed: read only when such a rule comes (a kube-proxy dump has 27k DNATs)
      let dnatPorts: number[] | undefined;
      const portsOfDnats = () => (dnatPorts ??= [...new Set(chainFacts(rs).dnats.flatMap((c) => (c.family === family && c.rule ? [exactDestinationPort(c.rule)] : [])).filter((p): p is number => p !== undefined))]);
      // rules that block the same port share one evaluation
      const memo = new Map<string, Outcome[]>();
      const evaluate = (p: Packet) => {
        const key = `${p.proto}|${p.dport}|${p.sport}|${p.in}|${p.src}|${p.dst}`;
        let o = memo.get(key);
        if (!o) memo.set(key, (o = evaluateChain(rs, 'nat', 'PREROUTING', p)));
        return o;
      };
      for (const chain of chainsOf(rs, filter, 'INPUT')) {
        // by index: no iterator result per rule of a long chain, on every keystroke
        for (let i = 0; i < chain.rules.length; i++) {
          const rule = chain.rules[i];
          const packet: Packet = { ...packetMatchedBy(rule), origin: 'remote', toHost: true };
          const blocked = portsBlocked(rule, packet, portsOfDnats);
          if (!blocked) continue;
          for (const port of blocked.ports) {
            const at: Packet = { ...packet, dport: port };
            const bypass = bypassOf(rs, at, (name) => ruleMatches(rule, { ...at, in: name }) !== 'no', evaluate);
            if (!bypass) continue;
            const to = destinationOf(bypass.dnat);
            ctx.report({
              span: rule.span,
              message: `This rule never sees new ${blocked.proto} connections to port ${port}${arrivalText(bypass.arrival)}: nat PREROUTING translates them to ${to}, so they are routed to FORWARD, not INPUT. Block them in ${blockChain(filter)} by their original port (-m conntrack --ctstate DNAT --ctorigdstport ${port}).`,
              related: [{ span: bypass.dnat.span, message: `DNAT to ${to}` }],
              fixes: blockInForward(ctx, filter, rule, blocked.proto, port),
            });
            // one finding per rule: the first port it fails to close
            break;
          }
        }
      }
      for (const chain of chainsOf(rs, filter, 'FORWARD')) {
        for (let i = 0; i < chain.rules.length; i++) {
          const rule = chain.rules[i];
          // the connection as it arrives, for this host: its destination is not the rule's (that
          // is the address after DNAT), nor its way out
          const packet: Packet = { ...packetMatchedBy(rule), dst: undefined, out: undefined, origin: 'remote', toHost: true };
          const blocked = portsBlocked(rule, packet, portsOfDnats);
          if (!blocked) continue;
          for (const port of blocked.ports) {
            const at: Packet = { ...packet, dport: port };
            const bypass = bypassOf(rs, at, (name) => ruleMatches(rule, { ...at, in: name }) !== 'no', evaluate);
            // FORWARD sees them with the port DNAT gave them: a DNAT to a port the rule also
            // blocks (the same one, most often) leaves the rule its job
            if (!bypass || bypass.outcomes.some((o) => o.packet.dport === undefined || ruleMatches(rule, { ...at, dport: o.packet.dport }) !== 'no')) continue;
            if (!aimedAtForwards(chain, rule, at, bypass)) continue;
            const to = destinationOf(bypass.dnat);
            ctx.report({
              span: rule.span,
              message: `This rule never matches new ${blocked.proto} connections to port ${port}${arrivalText(bypass.arrival)}: nat PREROUTING translates them to ${to} before FORWARD sees them. Match the original port with -m conntrack --ctstate DNAT --ctorigdstport ${originalPorts(rule, port) ?? `${port} (one rule per port of a list)`}.`,
              related: [{ span: bypass.dnat.span, message: `DNAT to ${to}` }],
              fixes: matchOriginalPort(rule, port),
            });
            // one finding per rule: the first port it fails to close
            break;
          }
        }
      }
    }
  },
};

/**
 * Whether a FORWARD rule is written for the connections DNAT brings in, not for other routed
 * traffic to the same port (a router's LAN browsing the web on port 80 while port 80 of the
 * router is forwarded): it sits in Docker's DOCKER-USER, or names the interface they arrive
 * on, or the address DNAT sends them to.
 */
function aimedAtForwards(chain: Chain, rule: Rule, packet: Packet, bypass: Bypass): boolean {
  if (chain.name === 'DOCKER-USER' || packet.in !== undefined) return true;
  const d = rule.destination;
  if (!d || d.negated || d.word.dynamic) return false;
  return bypass.outcomes.every((o) => o.packet.dst !== undefined && d.value.split(',').some((net) => inNetwork(o.packet.dst!, net) === 'yes'));
}

/** Where forwarded connections are blocked: Docker's chain for the user's own rules when there is one, else FORWARD. */
function blockChain(filter: Table): string {
  const user = filter.chains.get('DOCKER-USER');
  return user && !user.builtin ? 'DOCKER-USER' : 'FORWARD';
}

/** An INPUT rule's block as a rule for forwarded connections: the same tests, the port as it was before DNAT. */
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
 * For an INPUT rule. Save files: the block at the head of the chain (before DOCKER-USER's
 * RETURN), or beside the INPUT rule when the chain has no rules yet. Scripts: inserted at the
 * head of the chain on the line after the INPUT rule's command, with its tool word and
 * indentation.
 */
function blockInForward(ctx: RuleContext, filter: Table, rule: Rule, proto: string, port: number): Fix[] {
  const name = blockChain(filter);
  const spec = blockSpec(rule, proto, port);
  const title = `Block connections to port ${port} in ${name} by their original port`;
  if (ctx.ruleSet.dialect === 'save') {
    const head = filter.chains.get(name)?.rules[0]?.span.start ?? rule.span.start;
    const at = ctx.text.lastIndexOf('\n', head - 1) + 1;
    return [{ title, edits: [{ span: { start: at, end: at }, text: `-A ${name} ${spec}\n` }] }];
  }
  const cmd = commandOfRule(ctx.ruleSet, rule);
  if (!cmd) return [];
  const indent = commandIndent(ctx.text, cmd);
  const tool = commandTool(ctx.text, cmd);
  if (!tool) return [];
  const { at, newline } = lineAfter(ctx.text, cmd);
  return [{ title, edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${indent}${tool} -I ${name} ${spec}\n` }] }];
}

/**
 * For a FORWARD rule: its `--dport` (of the protocol's own match) becomes the conntrack test of
 * the original port. A port in a multiport list, or one that is a shell expansion, is left to
 * the user.
 */
function matchOriginalPort(rule: Rule, port: number): Fix[] {
  const dport = portTest(rule);
  const ports = originalPorts(rule, port);
  if (!dport || ports === undefined) return [];
  return [{ title: `Match the original port${ports.includes(':') ? 's' : ''} ${ports} (before DNAT)`, edits: [{ span: dport.item.span, text: `-m conntrack --ctstate DNAT --ctorigdstport ${ports}` }] }];
}

/** The rule's own `--dport` (of the protocol's match, not multiport's), unless negated or a shell expansion. */
function portTest(rule: Rule): BoundOption | undefined {
  let dport: BoundOption | undefined;
  for (const m of rule.matches) for (const o of m.options) if (o.name === '--destination-port' && m.name !== 'multiport') dport = o;
  return dport && !dport.negated && dport.values[0] && !dport.values[0].dynamic ? dport : undefined;
}

/** What --ctorigdstport takes for the rule's ports: the port, or its `--dport` range (conntrack reads port[:port] too); undefined for a multiport list. */
function originalPorts(rule: Rule, port: number): string | undefined {
  const value = portTest(rule)?.values[0].value;
  if (value === undefined) return undefined;
  return value.includes(':') ? value : String(port);
}

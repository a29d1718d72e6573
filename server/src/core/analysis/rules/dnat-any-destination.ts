import type { Family } from '../../knowledge/types.ts';
import type { Command, Rule } from '../../model/types.ts';
import { ruleMatches } from '../../simulate/conditions.ts';
import { evaluateChain, type Outcome } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { exactDestinationPort, exactProtocol } from '../../simulate/packetFromRule.ts';
import { NONE } from '../../syntax/none.ts';
import { chainFacts, type ChainFacts } from '../chainGraph.ts';
import { dnatGroups, dnatGroupsSteps } from '../dnatGroups.ts';
import { keptWithFacts } from '../keptWithFacts.ts';
import type { Fix, LintRule } from '../types.ts';

/**
 * An address no rule set is about (documentation ranges): a connection a host behind this one
 * makes to the internet. Known not to be the host's own (`toHost: false`), so addrtype's
 * `--dst-type LOCAL` does not match it.
 */
const ELSEWHERE: Record<Family, string> = { ipv4: '198.51.100.80', ipv6: '2001:db8:ffff::80' };

const SOURCE_NAT = new Set(['MASQUERADE', 'SNAT']);

export const dnatAnyDestination: LintRule = {
  code: 'dnat-any-destination',
  severity: 'warning',
  summary: 'A port forward (DNAT in PREROUTING) that tests no destination: on a host that NATs others\' traffic, their connections to that port anywhere go to the DNAT\'s server.',
  docs: {
    description: 'On a host that translates the source of other hosts\' connections (a MASQUERADE or SNAT in its nat table: a router, a Docker host), follows a new connection from one of them to an address on the internet through nat PREROUTING, with the DNAT\'s protocol and port and any interface, and reports the DNAT when every way through ends in it: nothing on the way tests the destination (`-d`, `-m addrtype --dst-type LOCAL`) or names the interface it must arrive on. Such a DNAT takes the LAN\'s (or the containers\') connections to that port of every server on the internet, not only those to this host. Quick fix: `-m addrtype --dst-type LOCAL` before the target, so only connections to the host\'s own addresses are translated (naming the outside interface with `-i`, or the public address with `-d`, does it too).',
    rationale: 'The port forward is meant for connections to the router\'s own address, but a DNAT without a destination test matches whatever passes through PREROUTING: with `--dport 80`, every web page a LAN client asks for is answered by the internal server (or fails, when that server answers the client directly). The rule works from the outside, so the mistake shows up as a strange problem with the LAN\'s browsing, SMTP or DNS.',
    bad: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    good: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
  },
  prepare: (rs) => dnatGroupsSteps(chainFacts(rs), 'dnat-any-destination', groupOf),
  check(ctx) {
    const rs = ctx.ruleSet;
    const facts = chainFacts(rs);
    // DNATs without a test of their own on the destination, by family, protocol and port,
    // kept with the chain facts across edits (a kube-proxy dump's 27k share three keys)
    const groups = dnatGroups(facts, 'dnat-any-destination', groupOf);
    if (!groups.size) return;
    const others = sourceNatFamilies(facts);
    const evaluations = keptEvaluations(facts);
    const found: { rule: Rule; cmd: Command; proto?: string; dport?: number }[] = [];
    for (const [key, dnats] of groups) {
      const [family, proto, port] = key.split('|') as [Family, string, string];
      if (!others.has(family)) continue;
      const dport = port ? Number(port) : undefined;
      // the rules on every way through nat PREROUTING of a connection to the internet
      let passed = evaluations.get(key);
      if (!passed) evaluations.set(key, (passed = passedByAll(evaluateChain(rs, 'nat', 'PREROUTING', outbound(family, proto || undefined, dport)))));
      for (const r of passed) {
        const cmd = dnats.get(r);
        if (cmd) found.push({ rule: r, cmd, proto: proto || undefined, dport });
      }
    }
    found.sort((a, b) => a.rule.span.start - b.rule.span.start);
    for (const { rule, cmd, proto, dport } of found) {
      const port = dport !== undefined ? `port ${dport}` : 'any port';
      ctx.report({
        span: rule.span,
        message: `This DNAT tests no destination: connections that hosts behind this one make to ${port} of any address${proto ? ` (${proto})` : ''} are sent to ${destinationOf(rule)} too, not only those to this host. Test the destination (-m addrtype --dst-type LOCAL, or -d the public address) or the interface they arrive on (-i).`,
        fixes: localOnly(cmd),
      });
    }
  },
};

/** A DNAT's group: its key (see keyOf) where it tests no destination of its own. */
const groupOf = (cmd: Command) => (unrestricted(cmd.rule!) ? keyOf(cmd.rule!) : undefined);

function keyOf(rule: Rule): string {
  return `${rule.family}|${exactProtocol(rule) ?? ''}|${exactDestinationPort(rule) ?? ''}`;
}

/**
 * The families whose nat table translates sources (a MASQUERADE or SNAT rule): the host
 * carries other hosts' connections out. Kept with the chain facts, looked at again when an
 * edit replaced such a rule.
 */
function sourceNatFamilies(facts: ChainFacts): ReadonlySet<Family> {
  return keptWithFacts(
    facts,
    'dnat-any-destination:source-nat',
    () => {
      const families = new Set<Family>();
      // rules with a hook-bound target, listed while the facts were gathered: MASQUERADE and SNAT among them
      for (const cmd of facts.hookBound) {
        if (cmd.table === 'nat' && (cmd.kind === 'append' || cmd.kind === 'insert') && SOURCE_NAT.has(cmd.rule?.target?.name ?? '')) families.add(cmd.family);
      }
      return families;
    },
    (_, patches) => !patches.some((p) => SOURCE_NAT.has(p.old?.rule?.target?.name ?? '') || SOURCE_NAT.has(p.new?.rule?.target?.name ?? '')),
  );
}

/**
 * The evaluations by key (see keyOf), kept with the chain facts. An edit that replaced nat
 * rules the connection cannot match, before and after (kube-proxy's KUBE-SERVICES rules each
 * test a service's address), leaves them as they were; any other nat rule replaced makes
 * them all again. Evaluating anew after an edit of KUBE-SERVICES indexed its 10k rules by
 * address again: 2 ms a keystroke on the 100k dump.
 */
function keptEvaluations(facts: ChainFacts): Map<string, Set<Rule>> {
  return keptWithFacts(
    facts,
    'dnat-any-destination:evaluations',
    () => new Map<string, Set<Rule>>(),
    (byKey, patches) => {
      const packets = [...byKey.keys()].map(packetOfKey);
      // each rule replaced, removed or added: one no packet of these matches changes none of them
      const unmatched = (cmd: Command | undefined) => !cmd?.rule || cmd.table !== 'nat' || packets.every((pk) => pk.family !== cmd.family || ruleMatches(cmd.rule!, pk) === 'no');
      return patches.every((p) => unmatched(p.old) && unmatched(p.new));
    },
  );
}

function packetOfKey(key: string): Packet {
  const [family, proto, port] = key.split('|') as [Family, string, string];
  return outbound(family, proto || undefined, port ? Number(port) : undefined);
}

/** A new connection from a host behind this one to the internet, with the DNAT's protocol and port. */
function outbound(family: Family, proto: string | undefined, dport: number | undefined): Packet {
  return { family, proto, dport, dst: ELSEWHERE[family], state: 'NEW', origin: 'remote', local: NONE, toHost: false };
}

/** The rules on every way through (none when there is no way). */
function passedByAll(outcomes: Outcome[]): Set<Rule> {
  const all = new Set<Rule>();
  if (!outcomes.length) return all;
  for (const s of outcomes[0].path) if (s.rule) all.add(s.rule);
  for (let i = 1; i < outcomes.length; i++) {
    const here = new Set<Rule>();
    for (const s of outcomes[i].path) if (s.rule && all.has(s.rule)) here.add(s.rule);
    all.clear();
    for (const r of here) all.add(r);
  }
  return all;
}

/** No test of the destination or a positive input interface in the rule itself (whatever comes before it is for the evaluation). */
function unrestricted(rule: Rule): boolean {
  if ((rule.destination && !rule.destination.negated) || (rule.inInterface && !rule.inInterface.negated)) return false;
  for (let i = 0; i < rule.matches.length; i++) if (rule.matches[i].name === 'addrtype') return false;
  return true;
}

function destinationOf(rule: Rule): string {
  const to = rule.target?.options.find((o) => o.name === '--to-destination');
  return to?.keptValue ?? to?.values[0]?.value ?? 'the DNAT\'s destination';
}

/** `-m addrtype --dst-type LOCAL` just before the rule's `-j`. */
function localOnly(cmd: Command): Fix[] {
  const jump = cmd.args.items.find((it) => it.written === '-j' || it.written === '--jump');
  if (!jump) return [];
  const at = jump.span.start;
  return [{ title: 'Translate only connections to this host\'s own addresses (-m addrtype --dst-type LOCAL)', edits: [{ span: { start: at, end: at }, text: '-m addrtype --dst-type LOCAL ' }] }];
}

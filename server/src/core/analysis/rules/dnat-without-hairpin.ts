import type { Command, Rule, RuleSet } from '../../model/types.ts';
import { addressCond } from '../../simulate/conditions.ts';
import { exactDestinationPort, exactProtocol } from '../../simulate/packetFromRule.ts';
import { chainFacts } from '../chainGraph.ts';
import { dnatForwards } from '../dnatPaths.ts';
import { dnatGroups } from '../dnatGroups.ts';
import { lanInterfaces, serverOf, type Server } from '../dnatServer.ts';
import { sourceNatRules } from '../sourceNatRules.ts';
import { commandIndent, commandTool, lineAfter } from '../scriptLine.ts';
import type { Fix, LintRule, RuleContext } from '../types.ts';

export const dnatWithoutHairpin: LintRule = {
  code: 'dnat-without-hairpin',
  severity: 'info',
  summary: 'A port forward to a LAN server that hosts of that LAN reach too (it tests the public address, not the interface), with no source NAT for them: their connections fail.',
  docs: {
    description: 'Reports an IPv4 DNAT in nat PREROUTING (or a chain PREROUTING reaches) that tests the address connections are sent to (`-d ADDRESS` or `-m addrtype --dst-type LOCAL`) but neither the interface they arrive on (`-i`) nor their source (`-s`), and translates them to a private address, when no SNAT or MASQUERADE in nat POSTROUTING (or the chains it reaches) can apply to a connection from the server\'s own network to the server: one that names no outgoing interface, or the interface a FORWARD rule sends the server\'s traffic out of, or the server\'s address, and whose source, destination, protocol and port do not rule the connection out. A rule with a shell expansion counts as one that applies. A client in the server\'s network that connects to the public address is translated like any other, and the server answers it directly, from its own address: the client drops the answer and the connection fails. Where that network is a bridge on this host and br_netfilter hands bridged packets to iptables (`net.bridge.bridge-nf-call-iptables=1`), the answer is translated back on the bridge and the connection works: hence information, not a warning, and nothing is reported for the rules of a Docker host (a nat table with Docker\'s chain), where Docker turns that on. Quick fix in scripts: a MASQUERADE in POSTROUTING for connections from the server\'s /24 to the server\'s port (hairpin NAT; the server then sees this host as the client).',
    rationale: 'A port forward that works from the internet and fails from inside the LAN is one of the most asked-about router problems ("NAT loopback", "NAT reflection"). The DNAT is right and its counter goes up, yet the browser on the LAN never gets an answer, because the server replies to a neighbour straight across the switch and the neighbour expected the reply from the router\'s public address.',
    bad: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
    good: { dialect: 'script', text: 'iptables -t nat -A PREROUTING -d 203.0.113.10 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\niptables -t nat -A POSTROUTING -s 192.168.1.0/24 -d 192.168.1.100 -p tcp --dport 8080 -j MASQUERADE\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    // the few DNATs that test a destination and no interface or source (a kube-proxy dump's 27k test none), kept across edits
    const candidates = dnatGroups(chainFacts(rs), 'dnat-without-hairpin', (cmd) => (reachableFromItsLan(cmd.rule!) ? '' : undefined)).get('');
    // Docker turns br_netfilter's hand-over on for its bridges: on its hosts answers across a bridge are translated back
    if (!candidates || dockerHost(rs)) return;
    const cmds = [...candidates.values()].sort((a, b) => a.span.start - b.span.start);
    let sourceNat: Rule[] | undefined;
    for (const cmd of cmds) {
      const rule = cmd.rule!;
      const server = serverOf(rule);
      // a DNAT to the address it tests (another port of the same host) leaves the packet going where it went
      if (!server || rule.destination?.value.replace(/\/32$/, '') === server.address || !dnatForwards(rs, rule, server.address)) continue;
      const lan = lanInterfaces(rs, server.address);
      if ((sourceNat ??= sourceNatRules(rs)).some((r) => covers(r, server, lan))) continue;
      const port = server.port !== undefined ? `:${server.port}` : '';
      ctx.report({
        span: rule.span,
        message: `Hosts in ${server.address}'s own network that connect to the address this DNAT tests are sent to ${server.address}${port}, which answers them directly, not through this host: their connections fail unless nat POSTROUTING also translates their source (hairpin NAT), or that network is a bridge here whose packets pass iptables (br_netfilter).`,
        fixes: hairpinFix(ctx, cmd, server),
      });
    }
  },
};

/** The rule set of a host running Docker: its nat table has Docker's chain. */
function dockerHost(rs: RuleSet): boolean {
  return !!rs.tables.get('ipv4:nat')?.chains.has('DOCKER');
}

/** IPv4, a destination tested (an address, or the host's own with addrtype), and neither the incoming interface nor the source. */
function reachableFromItsLan(rule: Rule): boolean {
  if (rule.family !== 'ipv4' || rule.inInterface || rule.source || rule.dynamic) return false;
  const d = rule.destination;
  if (d) return !d.negated && !d.value.includes(',');
  return rule.matches.some((m) => m.name === 'addrtype' && m.options.some((o) => o.name === '--dst-type' && !o.negated && /(^|,)LOCAL(,|$)/.test(o.values[0]?.value ?? '')));
}

/** Whether a source NAT rule can translate a connection from the server's network to the server. */
function covers(r: Rule, server: Server, lan: ReadonlySet<string>): boolean {
  if (r.dynamic) return true;
  const d = r.destination;
  if (addressCond(d, server.address) === 'no') return false;
  // the client shares the server's network: a source test that leaves the server's address out leaves the client out
  if (addressCond(r.source, server.address) === 'no') return false;
  // a destination test that can take the server names it
  const namesServer = !!d && !d.negated;
  const o = r.outInterface;
  if (o && !o.negated && !namesServer && !lan.has(o.value) && !o.value.endsWith('+')) return false;
  const proto = exactProtocol(r);
  if (proto && server.proto && proto !== server.proto) return false;
  const port = exactDestinationPort(r);
  return port === undefined || server.port === undefined || port === server.port;
}

/** Scripts: a MASQUERADE for connections from the server's /24 to it, on the line after the DNAT. */
function hairpinFix(ctx: RuleContext, cmd: Command, server: Server): Fix[] {
  if (ctx.ruleSet.dialect !== 'script') return [];
  const tool = commandTool(ctx.text, cmd);
  if (!tool) return [];
  const net = `${server.address.split('.').slice(0, 3).join('.')}.0/24`;
  const match = server.proto ? ` -p ${server.proto}${server.port !== undefined ? ` --dport ${server.port}` : ''}` : '';
  const { at, newline } = lineAfter(ctx.text, cmd);
  return [{
    title: `Masquerade connections from ${net} to ${server.address} (hairpin NAT)`,
    edits: [{ span: { start: at, end: at }, text: `${newline ? '\n' : ''}${commandIndent(ctx.text, cmd)}${tool} -t nat -A POSTROUTING -s ${net} -d ${server.address}${match} -j MASQUERADE\n` }],
  }];
}

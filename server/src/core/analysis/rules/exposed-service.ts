import { exposedServices, type ExposedService } from '../../knowledge/exposedServices.ts';
import type { Family } from '../../knowledge/types.ts';
import type { BoundOption, Rule, Table } from '../../model/types.ts';
import { portInRange } from '../../simulate/conditions.ts';
import { decidingRule, evaluateChain, plainestOutcome } from '../../simulate/evaluate.ts';
import type { Packet } from '../../simulate/packet.ts';
import { anySource } from '../anySource.ts';
import { inputClosing } from '../inputClosing.ts';
import type { LintRule } from '../types.ts';

/** The rule's test of the destination port (tcp/udp `--dport`, multiport `--dports` or `--ports`), if any. */
function portTest(rule: Rule): BoundOption | undefined {
  for (const m of rule.matches) {
    for (const o of m.options) {
      const name = o.spec?.name;
      if (name === '--destination-port' || name === '--destination-ports' || name === '--ports') return o;
    }
  }
  return undefined;
}

/**
 * The services whose port some accept of the table names with no test of the source, the
 * destination or the incoming interface: the only ones a rule can take from every source. A
 * chain of 20,000 accepts of one source each is then not followed sixteen times per analysis.
 */
function namedByAnAccept(table: Table, family: Family): Set<ExposedService> {
  const out = new Set<ExposedService>();
  for (const chain of table.chains.values()) {
    for (const rule of chain.rules) {
      if (rule.target?.name !== 'ACCEPT' || rule.destination || rule.inInterface || (rule.source && !anySource(family, rule.source))) continue;
      const port = portTest(rule);
      const value = port && !port.negated ? (port.keptValue ?? port.values[0]?.value) : undefined;
      if (value === undefined) continue;
      const proto = rule.protocol?.value.toLowerCase();
      for (const s of exposedServices) {
        if (proto === s.protocol && value.split(',').some((part) => portInRange(s.port, part) !== 'no')) out.add(s);
      }
    }
  }
  return out;
}

export const exposedService: LintRule = {
  code: 'exposed-service',
  severity: 'warning',
  summary: 'INPUT opens to every source a port of a service that answers anyone by default: the Docker API (2375), etcd, the kubelet, Redis, MongoDB, Elasticsearch, memcached.',
  docs: {
    description: 'Follows a new connection from an unknown address to each of these ports through filter INPUT (jumps included) where INPUT ends closed, and reports the rule that certainly accepts it when that rule names the port (`--dport`, a multiport list or a range that holds it): tcp 2375 (the Docker daemon without TLS), 2379 (etcd), 10250 (the kubelet), 6379 (Redis), 27017 (MongoDB), 9200 (Elasticsearch), 11211 and udp 11211 (memcached). A rule that tests the source (`-s`, an ipset), the interface the packet arrives on, or the destination address is not certain to take every source, and is left alone.',
    rationale: 'These services trust whoever reaches them unless they are set up otherwise, and scanning the internet for them is routine: an open Docker API is root on the host within minutes, an open Redis or MongoDB is read or wiped, an open memcached over UDP floods others. An accept of the port with no source is often meant for a few hosts that were never written down.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 6379 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -s 10.0.1.0/24 -p tcp --dport 6379 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const filter = ctx.ruleSet.tables.get(`${family}:filter`);
      const input = filter?.chains.get('INPUT');
      // an INPUT that accepts what no rule decides leaves every port open: not this finding
      if (!input || !inputClosing(input, filter)) continue;
      // the services each port test opens: a wide range (1025:65535) is one finding
      const opened = new Map<BoundOption, ExposedService[]>();
      for (const s of namedByAnAccept(ctx.ruleSet.tables.get(`${family}:filter`)!, family)) {
        // from another host, over no known interface, to the port: a new connection
        const packet: Packet = { family, proto: s.protocol, dport: s.port, state: 'NEW', origin: 'remote', local: [], offLoopback: true };
        const outcomes = evaluateChain(ctx.ruleSet, 'filter', 'INPUT', packet);
        if (!outcomes.length || !outcomes.every((o) => o.verdict === 'ACCEPT')) continue;
        const rule = decidingRule(plainestOutcome(outcomes)!);
        const port = rule && portTest(rule);
        if (!port) continue;
        const list = opened.get(port);
        if (list) list.push(s);
        else opened.set(port, [s]);
      }
      const where = `every source that reaches this host${family === 'ipv6' ? ' over IPv6' : ''}`;
      for (const [port, services] of opened) {
        const [s] = services;
        ctx.report({
          span: port.item.span,
          message:
            services.length === 1
              ? `Opens ${s.protocol}/${s.port} to ${where}: ${s.name}, and ${s.risk} Accept only the hosts that need it (-s).`
              : `Opens ${s.protocol} ports ${port.keptValue ?? port.values[0]?.value} to ${where}, among them ${services.map((x) => `${x.port} (${x.name})`).join(', ')}, which answer anyone unless set up otherwise. Accept only the hosts that need them (-s).`,
        });
      }
    }
  },
};

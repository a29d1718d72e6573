import type { Packet } from '../../simulate/packet.ts';
import { acceptAtHead } from '../acceptAtHead.ts';
import { passesSome } from '../passesSome.ts';
import type { LintRule } from '../types.ts';
import { refusedInChain } from '../refusedInChain.ts';

/**
 * Services a host commonly reaches over `lo`: a rule set that lets the outside in on a few
 * ports (SSH) lets local programs in on those too, so an unknown protocol and port would read
 * as "maybe accepted". These are what breaks first when the rest is dropped.
 */
const LOCAL_SERVICES = [
  { proto: 'udp', port: 53 },
  { proto: 'tcp', port: 5432 },
  { proto: 'tcp', port: 3306 },
  { proto: 'tcp', port: 6379 },
] as const;

/**
 * A new connection from the host to one of its own services as filter `chain` sees it (to
 * 127.0.0.1, ::1 or one of its own addresses: all of it crosses `lo`).
 */
function loopbackPacket(family: 'ipv4' | 'ipv6', chain: 'INPUT' | 'OUTPUT', proto: string, port: number): Packet {
  return { family, ...(chain === 'INPUT' ? { in: 'lo' } : { out: 'lo' }), proto, dport: port, state: 'NEW', origin: 'local', local: [] };
}

export const missingLoopbackAccept: LintRule = {
  code: 'missing-loopback-accept',
  severity: 'warning',
  summary: 'INPUT or OUTPUT drops new connections over the loopback interface: the host\'s own programs cannot reach each other.',
  docs: {
    description: 'Follows new connections from the host to its own usual services (interface `lo`, to 127.0.0.1, ::1 or any of its own addresses: DNS on udp/53, PostgreSQL on tcp/5432, MySQL on tcp/3306, Redis on tcp/6379) through filter INPUT and through filter OUTPUT, and reports the rule or policy where every way through drops or rejects one of them. A rule set that accepts them otherwise (by address, by port) is left alone, and so is a family whose INPUT and OUTPUT both let nothing through a link (IPv6 closed on purpose). Quick fix: `-i lo -j ACCEPT` (or `-o lo -j ACCEPT`) at the head of the chain.',
    rationale: 'Much of a server talks to itself: the local DNS resolver (systemd-resolved on 127.0.0.53), databases and caches bound to localhost, a reverse proxy in front of an application, monitoring agents. A DROP policy without an accept for `lo` breaks them all at once, often in ways that look like anything but the firewall: name resolution failing, an application that cannot reach its database.',
    bad: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
    good: { dialect: 'save', text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' },
  },
  check(ctx) {
    const rs = ctx.ruleSet;
    for (const family of ['ipv4', 'ipv6'] as const) {
      const table = rs.tables.get(`${family}:filter`);
      // a family closed both ways on purpose (IPv6 in a Tor gateway) loses its loopback too, by design
      if (!table || (!passesSome(rs, family, 'INPUT') && !passesSome(rs, family, 'OUTPUT'))) continue;
      for (const name of ['INPUT', 'OUTPUT'] as const) {
        const chain = table.chains.get(name);
        if (!chain) continue;
        const refused = refusedInChain(rs, chain, LOCAL_SERVICES, (svc) => loopbackPacket(family, name, svc.proto, svc.port));
        if (!refused) continue;
        const { lost, rule, span } = refused;
        const iface = name === 'INPUT' ? '-i lo' : '-o lo';
        ctx.report({
          span,
          message: `${family === 'ipv6' ? 'ip6tables' : 'iptables'} ${name} ${refused.verdict === 'REJECT' ? 'rejects' : 'drops'} new connections over the loopback interface (${lost.map((l) => `${l.proto}/${l.port}`).join(', ')}): the host's own programs, such as a local DNS resolver or a database on localhost, cannot reach each other. Accept ${iface} first.`,
          fixes: acceptAtHead(ctx, chain, rule, [`${iface} -j ACCEPT`], `Accept ${iface} in ${name}`),
        });
      }
    }
  },
};

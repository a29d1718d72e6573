import { ipv4Network, isPrivateIPv4Network, type IPv4Network } from '../knowledge/values/addresses.ts';
import type { Condition, RuleSet } from '../model/types.ts';
import { exactInterface } from '../simulate/packetFromRule.ts';

/**
 * Interfaces the rules show private hosts behind (a LAN, a DMZ), with the first such network:
 * a rule other than a drop for traffic out of one to a private address (`-o eth1 -d
 * 192.168.10.3 -j ACCEPT`, a hairpin SNAT), or an accept of traffic from one coming from a
 * private network (`-i eth1 -s 192.168.10.0/24`). This host routes to those itself, and they
 * answer through it without NAT. Drops are left out: a drop of private sources arriving on the
 * internet side is anti-spoofing, not a LAN. `lo` is the host itself.
 */
export function privateBehind(rs: RuleSet): Map<string, IPv4Network> {
  const out = new Map<string, IPv4Network>();
  const add = (iface: string, net: IPv4Network | undefined) => {
    if (net && iface !== 'lo') out.set(iface, net);
  };
  for (const table of rs.tables.values()) {
    if (table.family !== 'ipv4') continue;
    for (const chain of table.chains.values()) {
      for (const r of chain.rules) {
        const t = r.target?.name;
        if (!t || t === 'DROP' || t === 'REJECT') continue;
        // an interface already known is not looked at again (a router script names two or three)
        const o = exactInterface(r.outInterface);
        if (o && !out.has(o)) add(o, privateNetwork(r.destination));
        const i = t === 'ACCEPT' ? exactInterface(r.inInterface) : undefined;
        if (i && !out.has(i)) add(i, privateNetwork(r.source));
      }
    }
  }
  return out;
}

/** A source test naming one private network (not negated, not a list), host bits cleared. */
export function privateNetwork(c: Condition | undefined): IPv4Network | undefined {
  // every private network starts with a 1 (10., 172., 192.): others are not parsed
  if (!c || c.negated || c.value.charCodeAt(0) !== 49 || c.word.dynamic || c.value.includes(',')) return undefined;
  const n = ipv4Network(c.value);
  return n && n.bits !== undefined && n.bits > 0 && isPrivateIPv4Network(n) ? n : undefined;
}

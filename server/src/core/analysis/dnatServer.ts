import { ipv4Network, isPrivateIPv4Network, natAddressAndPort } from '../knowledge/values/addresses.ts';
import type { Rule, RuleSet } from '../model/types.ts';
import { addressCond } from '../simulate/conditions.ts';
import { exactDestinationPort, exactProtocol } from '../simulate/packetFromRule.ts';

/** A DNAT's server in a private network and the port and protocol its connections arrive with after the translation. */
export interface Server {
  address: string;
  port?: number;
  proto?: string;
}

/** The private address the DNAT sends connections to, with their port and protocol after it. */
export function serverOf(rule: Rule): Server | undefined {
  const to = rule.target?.options.find((o) => o.name === '--to-destination')?.values[0];
  if (!to || to.dynamic) return undefined;
  const { address, port } = natAddressAndPort(to.value);
  // a private server sits in a LAN with its clients
  const n = address && ipv4Network(address);
  if (!n || !isPrivateIPv4Network(n)) return undefined;
  const translated = port && /^\d+$/.test(port) ? Number(port) : port ? undefined : exactDestinationPort(rule);
  return { address, port: translated, proto: exactProtocol(rule) };
}

/** Interfaces filter FORWARD sends traffic to `server` out of (`-o` of its rules that can match it): the server's side. */
export function lanInterfaces(rs: RuleSet, server: string): Set<string> {
  const out = new Set<string>();
  for (const r of rs.tables.get('ipv4:filter')?.chains.get('FORWARD')?.rules ?? []) {
    const o = r.outInterface;
    if (o && !o.negated && addressCond(r.destination, server) !== 'no') out.add(o.value);
  }
  return out;
}

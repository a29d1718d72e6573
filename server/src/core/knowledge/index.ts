import type { ExtensionSpec } from './types.ts';
import * as addressing from './matches/addressing.ts';
import { conntrack } from './matches/conntrack.ts';
import * as host from './matches/host.ts';
import * as ipv6 from './matches/ipv6.ts';
import * as packet from './matches/packet.ts';
import * as protocols from './matches/protocols.ts';
import * as rates from './matches/rates.ts';
import { tcp } from './matches/tcp.ts';
import * as tracking from './matches/tracking.ts';
import { DNAT } from './targets/DNAT.ts';
import * as logging from './targets/logging.ts';
import * as marking from './targets/marking.ts';
import * as nat from './targets/nat.ts';
import * as special from './targets/special.ts';
import * as verdicts from './targets/verdicts.ts';

export { chains, getChain } from './chains.ts';
export { genericOptions } from './generic.ts';
export { protocolNames } from './protocols.ts';
export { getTable, tables } from './tables.ts';
export type * from './types.ts';

const all = (...mods: Record<string, unknown>[]) => mods.flatMap((m) => Object.values(m) as ExtensionSpec[]).sort((a, b) => a.name.localeCompare(b.name));

/** Every match extension of iptables 1.8 (IPv4 and IPv6). */
export const matches: readonly ExtensionSpec[] = all({ tcp, conntrack }, protocols, tracking, addressing, packet, rates, host, ipv6);
/** Every target, the built-in verdicts included. */
export const targets: readonly ExtensionSpec[] = all({ DNAT }, verdicts, nat, logging, marking, special);

function byName(list: readonly ExtensionSpec[]): Map<string, ExtensionSpec> {
  const map = new Map<string, ExtensionSpec>();
  for (const ext of list) {
    for (const n of [ext.name, ...(ext.aliases ?? [])]) map.set(n, ext);
  }
  return map;
}

const matchByName = byName(matches);
const targetByName = byName(targets);

/** Match names are case-sensitive (`-m TCP` fails: `dscp` and `DSCP` are different extensions). */
export function getMatch(name: string): ExtensionSpec | undefined {
  return matchByName.get(name);
}

/** Target names are case-sensitive: `accept` is a user chain, not ACCEPT. */
export function getTarget(name: string): ExtensionSpec | undefined {
  return targetByName.get(name);
}

const PROTOCOL_ALIASES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmp6', 'ipv6-icmp': 'icmp6', icmpv6: 'icmp6', '132': 'sctp', '33': 'dccp', '136': 'udplite', '50': 'esp', '51': 'ah', '135': 'mh', 'ipv6-mh': 'mh' };

/** The match `-p NAME` loads implicitly (protocol names are case-insensitive). */
export function implicitMatchForProtocol(protocol: string): ExtensionSpec | undefined {
  const p = protocol.toLowerCase();
  const name = PROTOCOL_ALIASES[p] ?? p;
  return matches.find((m) => m.implicitForProtocol === name);
}

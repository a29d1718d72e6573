import * as matchModules from './matches/index.ts';
import { protocolName, protocolNumber } from './protocols.ts';
import * as targetModules from './targets/index.ts';
import { genericOptions as writtenGenericOptions } from './generic.ts';
import type { ExtensionSpec, Family, GenericOptionSpec } from './types.ts';
import { uniformExtension, uniformGeneric } from './uniformShapes.ts';

export { chains, getChain } from './chains.ts';
export { COMMAND_WORDS } from './generic.ts';
export { closestNames, didYouMean, editDistance } from './didYouMean.ts';
export { protocolName, protocolNames, protocolNumber } from './protocols.ts';
export { getTable, tables } from './tables.ts';
export type * from './types.ts';

// Case-insensitive, lower case first (`connmark` before `CONNMARK`): the order localeCompare
// gives for these names, without ICU's start-up cost (10 ms of the server's start).
const nameOrder = (a: ExtensionSpec, b: ExtensionSpec) => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.name > b.name ? -1 : a.name < b.name ? 1 : 0;
};
const sorted = (mods: Record<string, ExtensionSpec>) => Object.values(mods).sort(nameOrder).map(uniformExtension);

/** iptables' own options (-p, -s, -j, -A…), in one shape with the extensions' options (see uniformShapes.ts). */
export const genericOptions: readonly GenericOptionSpec[] = writtenGenericOptions.map(uniformGeneric);

/** Every match extension of iptables 1.8.9 (IPv4 and IPv6), one module each under matches/. */
export const matches: readonly ExtensionSpec[] = sorted(matchModules);
/** Every target, the built-in verdicts ACCEPT, DROP, RETURN and QUEUE included. */
export const targets: readonly ExtensionSpec[] = sorted(targetModules);

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

/**
 * The match `-p NAME` loads without `-m`: iptables loads the match named like the protocol
 * (numbers are first turned into their /etc/protocols name; ipv6-icmp and icmpv6 load icmp6).
 * Names are case-insensitive. So `-p 6` loads tcp, but `-p ipv6-mh` and `-p 135`
 * (mobility-header) load nothing: only `-p mh` loads mh. Given a family, a match the other
 * family's tool has is none (measured: `iptables -p ipv6-icmp --icmpv6-type …` is an unknown
 * option, as is `ip6tables -p icmp --icmp-type …`).
 */
export function implicitMatchForProtocol(protocol: string, family?: Family): ExtensionSpec | undefined {
  let name = protocol.toLowerCase();
  if (/^(0x[0-9a-f]+|\d+)$/.test(name)) {
    const n = protocolNumber(name);
    name = n === undefined ? name : (protocolName(n) ?? name);
  }
  if (name === 'icmpv6' || name === 'ipv6-icmp') name = 'ipv6-icmp';
  const m = matches.find((x) => x.implicitForProtocol === name);
  return m && family !== undefined && !m.families.includes(family) ? undefined : m;
}

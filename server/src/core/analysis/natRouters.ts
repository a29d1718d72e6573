import { ipv4NetworksOverlap, type IPv4Network } from '../knowledge/values/addresses.ts';
import type { Rule, RuleSet } from '../model/types.ts';
import { exactInterface } from '../simulate/packetFromRule.ts';
import { privateBehind, privateNetwork } from './privateNetworks.ts';
import { sourceNatRules } from './sourceNatRules.ts';

/** The sides of a NAT router by one of its IPv4 source NATs: the outside it sends out of, and the LAN behind it where the rules say. */
export interface NatRouter {
  snat: Rule;
  /** The interface the source NAT sends out of. */
  wan: string;
  /** The interface the rules put a private network behind, other than the outside. */
  lanIface?: string;
  /** The network translated (`-s`), or the one behind lanIface. */
  lanNet?: IPv4Network;
}

/**
 * One per outside interface, from the first source NAT out of it (`-o eth0 -j MASQUERADE`):
 * a source NAT out of one interface says which side is outside. Not for `lo`, an interface
 * given by an expansion or none (Docker's `! -o docker0`).
 */
export function natRouters(rs: RuleSet): NatRouter[] {
  const out: NatRouter[] = [];
  const seen = new Set<string>();
  let behind: Map<string, IPv4Network> | undefined;
  for (const snat of sourceNatRules(rs)) {
    const wan = exactInterface(snat.outInterface);
    if (!wan || wan === 'lo' || snat.dynamic || seen.has(wan)) continue;
    seen.add(wan);
    behind ??= privateBehind(rs);
    // the LAN: the translated network, or one the rules put behind another interface
    const translated = privateNetwork(snat.source);
    let router: NatRouter = { snat, wan, lanNet: translated };
    for (const [iface, net] of behind) {
      if (iface !== wan && (!translated || ipv4NetworksOverlap(net, translated))) {
        router = { snat, wan, lanIface: iface, lanNet: translated ?? net };
        break;
      }
    }
    out.push(router);
  }
  return out;
}

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

/**
 * FORWARD's rules with an outgoing interface, indexed: those whose destination is one address
 * by that address, the others (networks, negations, none) in a list. A router script forwards
 * to thousands of servers, each asked about: a scan of FORWARD per server was 5,000 x 5,000
 * rules on the bench's 10k-line script. Kept per list of FORWARD's rules (an edit in place
 * gives the edited chain a new list).
 */
interface OutIndex {
  byAddress: Map<string, Set<string>>;
  others: Rule[];
}

/** `a.b.c.d` or `a.b.c.d/32` written as serverOf reads addresses (no leading zeros): the address. */
function oneAddress(value: string): string | undefined {
  const addr = value.endsWith('/32') ? value.slice(0, -3) : value;
  const parts = addr.split('.');
  return parts.length === 4 && parts.every((x) => /^\d{1,3}$/.test(x) && String(Number(x)) === x && Number(x) < 256) ? addr : undefined;
}

const outIndexes = new WeakMap<readonly Rule[], OutIndex>();

function outIndex(rules: readonly Rule[]): OutIndex {
  let idx = outIndexes.get(rules);
  if (idx) return idx;
  idx = { byAddress: new Map(), others: [] };
  for (const r of rules) {
    const o = r.outInterface;
    if (!o || o.negated) continue;
    const d = r.destination;
    const one = d && !d.negated && !d.word.dynamic ? oneAddress(d.value) : undefined;
    if (one === undefined) {
      idx.others.push(r);
      continue;
    }
    let set = idx.byAddress.get(one);
    if (!set) idx.byAddress.set(one, (set = new Set()));
    set.add(o.value);
  }
  outIndexes.set(rules, idx);
  return idx;
}

/** Interfaces filter FORWARD sends traffic to `server` out of (`-o` of its rules that can match it): the server's side. */
export function lanInterfaces(rs: RuleSet, server: string): Set<string> {
  const rules = rs.tables.get('ipv4:filter')?.chains.get('FORWARD')?.rules;
  if (!rules) return new Set();
  const out = new Set<string>();
  // an address written otherwise (leading zeros) is compared with every rule, as a number
  const scan = oneAddress(server) === server ? outIndex(rules) : { byAddress: new Map<string, Set<string>>(), others: rules.filter((r) => r.outInterface && !r.outInterface.negated) };
  for (const i of scan.byAddress.get(server) ?? []) out.add(i);
  for (const r of scan.others) if (addressCond(r.destination, server) !== 'no') out.add(r.outInterface!.value);
  return out;
}

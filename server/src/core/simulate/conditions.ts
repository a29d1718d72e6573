import { protocolNumber } from '../knowledge/index.ts';
import { readIcmpType } from '../knowledge/values/icmp.ts';
import { portNumber } from '../knowledge/values/ports.ts';
import { tcpFlagSet } from '../knowledge/values/tcpFlags.ts';
import { compareIPv6, ipv4Network, ipv4Number, ipv6Groups, ipv6InNetwork, ipv6Network, network, type Network } from '../knowledge/values/addresses.ts';
import type { BoundOption, Condition, MatchUse, Rule } from '../model/types.ts';
import type { Packet } from './packet.ts';
import { and, fromBool, not, type Tri } from './tristate.ts';
import { detachedCopy } from '../text/detachedCopy.ts';
import { setMatchCond } from './ipsetMembers.ts';

/** How one rule's tests apply to a packet. Anything the evaluator cannot decide is "maybe". */

/** Does `addr` fall in `spec` (an address, a network with a prefix length or a mask; IPv4 or IPv6)? Anything else (a host name), only the same text is known to. */
export function inNetwork(addr: string, spec: string): Tri {
  const a = ipv4Number(addr);
  if (a !== undefined) {
    const n = ipv4Network(spec);
    if (n) return fromBool(((a & n.mask) >>> 0) === n.net);
  } else {
    const g = ipv6Groups(addr);
    const n = g && ipv6Network(spec);
    if (n) return fromBool(ipv6InNetwork(g, n));
  }
  return addr === spec ? 'yes' : 'maybe';
}


/** Parsed networks of a condition, computed once per rule (large dumps trace fast). */
const networks = new WeakMap<Condition, (Network | undefined)[]>();

/** A packet's address read once: an IPv4 number, or IPv6 groups, or neither (compared as text). */
interface ReadAddress {
  text: string;
  int: number | undefined;
  groups: number[] | undefined;
}

/**
 * The packet's address read, for the last two addresses asked about: a walk asks about
 * the packet's source and destination at every rule. Two entries, holding copies: a key cut
 * from a document (a DNAT rule's address, for its trace lens) kept that document's text in
 * memory after it was closed (see detachedCopy).
 */
let lastAddress: ReadAddress | undefined;
let otherAddress: ReadAddress | undefined;

function readAddress(value: string): ReadAddress {
  if (lastAddress?.text === value) return lastAddress;
  if (otherAddress?.text === value) {
    const hit = otherAddress;
    otherAddress = lastAddress;
    lastAddress = hit;
    return hit;
  }
  otherAddress = lastAddress;
  const int = ipv4Number(value);
  lastAddress = { text: detachedCopy(value), int, groups: int === undefined ? ipv6Groups(value) : undefined };
  return lastAddress;
}

/** The networks of an address test's list, each parsed once per condition; undefined for a part read as text (a host name). */
export function parsedNetworks(c: Condition): readonly (Network | undefined)[] {
  let list = networks.get(c);
  if (!list) networks.set(c, (list = c.value.split(',').map(network)));
  return list;
}

/** An address read in a network of the same family: yes or no; across families or unread, undefined. */
function inParsed(a: ReadAddress, n: Network | undefined): boolean | undefined {
  if (!n) return undefined;
  if ('net' in n) return a.int === undefined ? undefined : ((a.int & n.mask) >>> 0) === n.net;
  return a.groups === undefined ? undefined : ipv6InNetwork(a.groups, n);
}

/** Whether an address test (`-s`, `-d`: a list, maybe negated) takes `value`; no test takes every address. */
export function addressCond(c: Condition | undefined, value: string | undefined): Tri {
  if (!c) return 'yes';
  if (c.word.dynamic || value === undefined) return 'maybe';
  const a = readAddress(value);
  let r: Tri = 'no';
  const list = parsedNetworks(c);
  let parts: string[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const known = inParsed(a, list[i]);
    // a host name, or an address of the other family, is compared as text
    const t: Tri = known === undefined ? inNetwork(value, (parts ??= c.value.split(','))[i]) : known ? 'yes' : 'no';
    if (t === 'yes') {
      r = 'yes';
      break;
    }
    if (t === 'maybe') r = 'maybe';
  }
  return c.negated ? not(r) : r;
}

export function interfaceMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** An interface name the pattern matches: the name itself, or for `veth+` one it stands for. */
export function interfaceNameFor(pattern: string): string {
  return pattern.endsWith('+') ? `${pattern.slice(0, -1)}0` : pattern;
}

/**
 * `offLoopback`: the packet is known not to cross `lo`, so an unknown interface is still not
 * `lo`. Nearly every rule set starts INPUT with `-i lo -j ACCEPT`: read as "maybe", it let every
 * packet from another host through on some branch, and no lockout was ever certain.
 */
function ifaceCond(c: Condition | undefined, value: string | undefined, offLoopback: boolean): Tri {
  if (!c) return 'yes';
  if (c.word.dynamic) return 'maybe';
  if (value === undefined) return offLoopback && c.value === 'lo' ? (c.negated ? 'yes' : 'no') : 'maybe';
  const r = fromBool(interfaceMatches(c.value, value));
  return c.negated ? not(r) : r;
}

/** See ifaceCond: a packet from another host, or one the caller knows stays off `lo`. */
function offLoopback(p: Packet): boolean {
  return p.origin === 'remote' || p.offLoopback === true;
}

function protoCond(c: Condition | undefined, proto: string | undefined): Tri {
  if (!c) return 'yes';
  if (c.word.dynamic) return 'maybe';
  const want = protocolNumber(c.value);
  if (want === 0) return c.negated ? 'no' : 'yes';
  if (proto === undefined) return 'maybe';
  const r = fromBool(want !== undefined && want === protocolNumber(proto));
  return c.negated ? not(r) : r;
}

/** An address within `a.b.c.d-e.f.g.h` or `x::a-x::b` (or the one address written alone), as iprange and ipset ranges read it. */
export function inAddressRange(addr: string, range: string): Tri {
  const [lo, hi] = range.split('-');
  const a = ipv4Number(addr);
  if (a === undefined) {
    const g = ipv6Groups(addr);
    const l = ipv6Groups(lo);
    const h = ipv6Groups(hi ?? lo);
    return g && l && h ? fromBool(compareIPv6(g, l) >= 0 && compareIPv6(g, h) <= 0) : 'maybe';
  }
  const l = ipv4Number(lo);
  const h = ipv4Number(hi ?? lo);
  return l === undefined || h === undefined ? 'maybe' : fromBool(a >= l && a <= h);
}

/** `port`, `a:b`, `:b`, `a:`, service names. */
export function portInRange(port: number, spec: string): Tri {
  const parts = spec.split(':');
  if (parts.length === 1) {
    const n = portNumber(spec);
    return n === undefined ? 'maybe' : fromBool(n === port);
  }
  const lo = parts[0] === '' ? 0 : portNumber(parts[0]);
  const hi = parts[1] === '' ? 65535 : portNumber(parts[1]);
  if (lo === undefined || hi === undefined) return 'maybe';
  return fromBool(port >= Math.min(lo, hi) && port <= Math.max(lo, hi));
}

/**
 * A list given to `--sport` or `--dport`, which take one port or range (`--dport 22,80`; the
 * list is multiport's): iptables refuses the rule, so it is in no chain and matches nothing
 * (invalid-value reports it).
 */
export function listInSinglePort(o: BoundOption): boolean {
  return (o.name === '--destination-port' || o.name === '--source-port') && !!o.values[0] && !o.values[0].dynamic && o.values[0].value.includes(',');
}

function portOption(o: BoundOption, port: number | undefined): Tri {
  const v = o.values[0];
  if (listInSinglePort(o)) return 'no';
  if (!v || v.dynamic || port === undefined) return 'maybe';
  let r: Tri = 'no';
  for (const part of v.value.split(',')) {
    const t = portInRange(port, part);
    if (t === 'yes') {
      r = 'yes';
      break;
    }
    if (t === 'maybe') r = 'maybe';
  }
  return o.negated ? not(r) : r;
}

function stateOption(o: BoundOption, state: string): Tri {
  const v = o.values[0];
  if (!v || v.dynamic) return 'maybe';
  const states = v.value.toUpperCase().split(',');
  // a DNAT'd connection is also in state DNAT; we do not track that flag here
  if (states.includes('SNAT') || states.includes('DNAT')) return 'maybe';
  const r = fromBool(states.includes(state));
  return o.negated ? not(r) : r;
}

function icmpOption(o: BoundOption, p: Packet, family: 'ipv4' | 'ipv6'): Tri {
  const v = o.values[0];
  const want = v && !v.dynamic ? readIcmpType(v.value, family) : undefined;
  if (!want) return 'maybe';
  let r: Tri = 'yes';
  if (want.type !== undefined) r = p.icmpType === undefined ? 'maybe' : fromBool(p.icmpType === want.type);
  if (r !== 'no' && want.codes) r = and(r, p.icmpCode === undefined ? 'maybe' : fromBool(p.icmpCode >= want.codes[0] && p.icmpCode <= want.codes[1]));
  return o.negated ? not(r) : r;
}

/**
 * addrtype's `--dst-type` for a packet known to be for this host (redirected to it, or sent to
 * one of its addresses): a list naming LOCAL (or a beginning of it, as iptables reads type
 * names) matches. For a packet known to be for another host (`toHost: false`, a unicast
 * address elsewhere), a list of LOCAL alone does not. Anything else stays unknown: the
 * evaluator does not know the host's broadcast, multicast or unreachable addresses.
 */
function dstTypeOption(o: BoundOption, p: Packet): Tri {
  const v = o.values[0];
  const forHost = p.toHost === true || (p.dst !== undefined && p.local.includes(p.dst));
  if (!v || v.dynamic || (!forHost && p.toHost !== false)) return 'maybe';
  const types = v.value.toUpperCase().split(',');
  const local = types.some((t) => t.length > 0 && 'LOCAL'.startsWith(t));
  if (forHost) return !local ? 'maybe' : o.negated ? 'no' : 'yes';
  if (!local || types.length !== 1) return 'maybe';
  return o.negated ? 'yes' : 'no';
}

/**
 * `--tcp-flags MASK COMP` on a packet: a new connection's is its SYN (SYN alone set, as `--syn`
 * reads it too); another packet's flags are not known.
 */
function tcpFlagsOption(o: BoundOption, p: Packet): Tri {
  const [mask, comp] = o.values;
  if (p.state !== 'NEW' || !mask || !comp || mask.dynamic || comp.dynamic) return 'maybe';
  const set = tcpFlagSet(comp.value);
  const matches = tcpFlagSet(mask.value).every((f) => set.includes(f) === (f === 'SYN'));
  return matches !== o.negated ? 'yes' : 'no';
}

function matchCond(m: MatchUse, p: Packet): Tri {
  if (!m.spec) return 'maybe';
  let r: Tri = 'yes';
  switch (m.spec.name) {
    case 'tcp':
    case 'udp':
    case 'sctp':
    case 'dccp':
    case 'udplite':
      for (const o of m.options) {
        if (o.name === '--source-port') r = and(r, portOption(o, p.sport));
        else if (o.name === '--destination-port') r = and(r, portOption(o, p.dport));
        else if (o.name === '--syn') r = and(r, p.state === 'NEW' ? (o.negated ? 'no' : 'yes') : p.state === 'ESTABLISHED' ? (o.negated ? 'yes' : 'no') : 'maybe');
        else if (o.name === '--tcp-flags') r = and(r, tcpFlagsOption(o, p));
        else r = and(r, 'maybe');
      }
      return r;
    case 'multiport':
      for (const o of m.options) {
        if (o.name === '--source-ports') r = and(r, portOption(o, p.sport));
        else if (o.name === '--destination-ports') r = and(r, portOption(o, p.dport));
        else if (o.name === '--ports') {
          const a = portOption(o, p.sport);
          const b = portOption(o, p.dport);
          r = and(r, a === 'yes' || b === 'yes' ? 'yes' : a === 'no' && b === 'no' ? 'no' : 'maybe');
        } else r = and(r, 'maybe');
      }
      return r;
    case 'conntrack':
    case 'state':
      for (const o of m.options) r = and(r, o.name === '--ctstate' || o.name === '--state' ? stateOption(o, p.state) : 'maybe');
      return r;
    case 'icmp':
    case 'icmp6':
      for (const o of m.options) r = and(r, o.name === '--icmp-type' || o.name === '--icmpv6-type' ? icmpOption(o, p, m.spec.name === 'icmp' ? 'ipv4' : 'ipv6') : 'maybe');
      return r;
    case 'comment':
      return 'yes';
    case 'addrtype':
      // --limit-iface-in/out count only the addresses of one interface, which are not known
      for (const o of m.options) r = and(r, o.name === '--dst-type' && !m.options.some((x) => x.name.startsWith('--limit-iface')) ? dstTypeOption(o, p) : 'maybe');
      return r;
    case 'iprange':
      for (const o of m.options) {
        const v = o.values[0];
        const addr = o.name === '--src-range' ? p.src : p.dst;
        if (!v || v.dynamic || addr === undefined) {
          r = and(r, 'maybe');
          continue;
        }
        const t = inAddressRange(addr, v.value);
        r = and(r, o.negated ? not(t) : t);
      }
      return r;
    case 'set':
      return setMatchCond(m, p);
    default:
      return 'maybe';
  }
}

/** Every test of the rule together. */
export function ruleMatches(rule: Rule, p: Packet): Tri {
  let r: Tri = 'yes';
  r = and(r, protoCond(rule.protocol, p.proto));
  if (r === 'no') return r;
  r = and(r, addressCond(rule.source, p.src));
  r = and(r, addressCond(rule.destination, p.dst));
  if (rule.inInterface || rule.outInterface) {
    const off = offLoopback(p);
    r = and(r, ifaceCond(rule.inInterface, p.in, off));
    r = and(r, ifaceCond(rule.outInterface, p.out, off));
  }
  if (rule.fragment) r = and(r, rule.fragment.negated ? 'yes' : 'no');
  if (r === 'no') return r;
  for (const m of rule.matches) {
    r = and(r, matchCond(m, p));
    if (r === 'no') return r;
  }
  // unknown options (typos, shell expansions standing for options) make the rule uncertain
  if (rule.problems.length || rule.options.some((o) => !o.spec)) r = and(r, 'maybe');
  return r;
}

/** Packet fields a test can depend on. */
export type PacketField = 'proto' | 'src' | 'dst' | 'in' | 'out' | 'sport' | 'dport' | 'state' | 'icmpType' | 'icmpCode' | 'origin' | 'offLoopback' | 'toHost' | 'local';

/**
 * The packet fields `ruleMatches` reads for this rule: two packets equal on these get the
 * same answer from it. Kept beside `matchCond`, which it mirrors; a property test holds the
 * two together.
 */
export function fieldsRead(rule: Rule, into: Set<PacketField>): void {
  if (rule.protocol) into.add('proto');
  if (rule.source) into.add('src');
  if (rule.destination) into.add('dst');
  if (rule.inInterface) into.add('in');
  if (rule.outInterface) into.add('out');
  if (rule.inInterface || rule.outInterface) into.add('origin').add('offLoopback');
  for (const m of rule.matches) {
    if (!m.spec) continue;
    switch (m.spec.name) {
      case 'tcp':
      case 'udp':
      case 'sctp':
      case 'dccp':
      case 'udplite':
      case 'multiport':
        into.add('sport').add('dport').add('state');
        break;
      case 'conntrack':
      case 'state':
        into.add('state');
        break;
      case 'iprange':
      case 'set':
        into.add('src').add('dst');
        break;
      case 'addrtype':
        into.add('dst').add('toHost').add('local');
        break;
      case 'icmp':
      case 'icmp6':
        into.add('icmpType').add('icmpCode');
        break;
      default:
        break;
    }
  }
}

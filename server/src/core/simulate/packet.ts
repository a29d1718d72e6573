import type { IpsetMembers } from './ipsetMembers.ts';
import { protocolNumber } from '../knowledge/protocols.ts';
import { isIPv6, parseIPv4 } from '../knowledge/values/addresses.ts';
import { readIcmpType } from '../knowledge/values/icmp.ts';
import { checkInterface } from '../knowledge/values/interfaces.ts';
import type { Family } from '../knowledge/types.ts';

/** A packet as the evaluator sees it; an absent field is unknown ("maybe" for any test on it). */
export interface Packet {
  family: Family;
  in?: string;
  out?: string;
  proto?: string;
  src?: string;
  sport?: number;
  dst?: string;
  dport?: number;
  /** ICMP (or ICMPv6) type and code, for a packet of that protocol. */
  icmpType?: number;
  icmpCode?: number;
  /** Conntrack state: NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED. */
  state: string;
  origin: 'remote' | 'local';
  /** Addresses of the host itself: a destination among them goes to INPUT. */
  local: string[];
  /**
   * Set by REDIRECT: the packet is now for the host itself whatever address it carries (the
   * kernel picks an address of the incoming interface, which the SPEC may not list). False:
   * known to be for another host (a check's connection to the internet), until a DNAT. Not a
   * SPEC key: a trace or a check sets it, a user never does.
   */
  toHost?: boolean;
  /**
   * Known not to cross the loopback interface while its interfaces are unknown (neighbour
   * discovery on a link). A packet from another host never does, whatever this says.
   */
  offLoopback?: boolean;
  /**
   * The ipsets of the host the packet meets (`ipset save` of a host an apply reads): a set
   * match is decided from their members. Without them, or for a set not among them, it is not.
   * Not a SPEC key.
   */
  sets?: ReadonlyMap<string, IpsetMembers>;
}

/**
 * A loopback address (127.0.0.0/8, ::1 however it is written): always the host's own, so
 * routing hands a packet to it to INPUT, never to FORWARD.
 */
export function isLoopbackAddress(addr: string): boolean {
  return addr.startsWith('127.') || /^(?:0{1,4}:){7}0{0,3}1$|^::0{0,3}1$/.test(addr);
}

/** The SPEC keys, in the order a SPEC is written back. */
export const PACKET_KEYS = ['in', 'out', 'proto', 'src', 'sport', 'dst', 'dport', 'icmp-type', 'state', 'family', 'local', 'origin'] as const;
export type PacketKey = (typeof PACKET_KEYS)[number];

export const PACKET_STATES = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'] as const;

const KEYS = new Set<string>(PACKET_KEYS);

/** Why a SPEC was refused: the message, the key at fault (when there is one) and where in the SPEC. */
export interface PacketSpecError {
  error: string;
  key?: string;
  /** Offsets of the offending `key=value` part in the SPEC string. */
  start: number;
  end: number;
}

export type PacketSpecResult = { packet: Packet; error?: undefined } | ({ packet?: undefined } & PacketSpecError);

function addressProblem(value: string, family: Family): string | undefined {
  if (family === 'ipv4' ? parseIPv4(value) : isIPv6(value)) return undefined;
  return `'${value}' is not an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`;
}

/**
 * Parses the packet SPEC of `iptables-lint trace` and of the editor's trace command:
 * `key=value` pairs separated by blanks. The same parser validates what a user types in
 * the editor, so both front ends refuse the same things. Without `family=`, the family is
 * that of the first address given (`src=2001:db8::1` is an IPv6 packet), else
 * `defaultFamily` (a save file's: rules.v6 holds ip6tables' tables).
 */
export function parsePacketSpec(spec: string, defaultFamily: Family = 'ipv4'): PacketSpecResult {
  const p: Packet = { family: defaultFamily, state: 'NEW', origin: 'remote', local: [] };
  let familyGiven = false;
  // addresses and ICMP types are checked once the family is known, which may be given after them
  const addresses: { key: string; value: string; start: number; end: number }[] = [];
  let icmp: { value: string; start: number; end: number } | undefined;
  for (const m of spec.matchAll(/\S+/g)) {
    const part = m[0];
    const start = m.index;
    const end = start + part.length;
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: `'${part}' is not key=value`, start, end };
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    const fail = (error: string): PacketSpecResult => ({ error, key, start, end });
    if (!KEYS.has(key)) return fail(`unknown key '${key}' (keys: ${PACKET_KEYS.join(', ')})`);
    if (value === '') return fail(`${key} needs a value`);
    switch (key as PacketKey) {
      case 'sport':
      case 'dport': {
        if (!/^\d+$/.test(value) || Number(value) > 65535) return fail(`${key} must be a port number, not '${value}'`);
        p[key as 'sport' | 'dport'] = Number(value);
        break;
      }
      case 'state':
        if (!(PACKET_STATES as readonly string[]).includes(value.toUpperCase())) return fail(`state must be ${PACKET_STATES.slice(0, -1).join(', ')} or ${PACKET_STATES.at(-1)}`);
        p.state = value.toUpperCase();
        break;
      case 'family':
        if (value !== 'ipv4' && value !== 'ipv6') return fail('family must be ipv4 or ipv6');
        p.family = value;
        familyGiven = true;
        break;
      case 'origin':
        if (value !== 'remote' && value !== 'local') return fail('origin must be remote or local');
        p.origin = value;
        break;
      case 'local':
        p.local = value.split(',').filter(Boolean);
        addresses.push({ key, value, start, end });
        break;
      case 'proto':
        if (protocolNumber(value) === undefined) return fail(`'${value}' is not a protocol name or number`);
        p.proto = value.toLowerCase();
        break;
      case 'in':
      case 'out': {
        const problem = checkInterface(value);
        if (problem && problem.severity !== 'warning') return fail(problem.message);
        // a packet crosses one interface; '+' is a wildcard of rules, not of packets
        if (value.endsWith('+')) return fail(`${key} is the one interface the packet crosses: no '+' wildcard`);
        p[key as 'in' | 'out'] = value;
        break;
      }
      case 'src':
      case 'dst':
        p[key as 'src' | 'dst'] = value;
        addresses.push({ key, value, start, end });
        break;
      case 'icmp-type':
        icmp = { value, start, end };
        break;
    }
  }
  if (!familyGiven && addresses.length) {
    const first = addresses[0].key === 'local' ? p.local[0] : addresses[0].value;
    if (first !== undefined) p.family = isIPv6(first) ? 'ipv6' : parseIPv4(first) ? 'ipv4' : p.family;
  }
  if (icmp) {
    const want = readIcmpType(icmp.value, p.family);
    const fail = (error: string): PacketSpecResult => ({ error, key: 'icmp-type', start: icmp!.start, end: icmp!.end });
    if (!want) return fail(`'${icmp.value}' is not an ${p.family === 'ipv4' ? 'ICMP' : 'ICMPv6'} type: a name (echo-request${p.family === 'ipv6' ? ', neighbour-solicitation' : ''}…) or type[/code]`);
    if (want.type === undefined) return fail('a packet has one ICMP type, not any');
    if (want.codes && want.codes[0] !== want.codes[1]) return fail('a packet has one code, not a range');
    p.icmpType = want.type;
    if (want.codes) p.icmpCode = want.codes[0];
  }
  for (const a of addresses) {
    for (const v of a.key === 'local' ? p.local : [a.value]) {
      const problem = addressProblem(v, p.family);
      if (problem) return { error: `${a.key}: ${problem}`, key: a.key, start: a.start, end: a.end };
    }
  }
  return { packet: p };
}

/** The family a trace of the document's packets takes when the SPEC does not say: a save file's (a script holds both). */
export function traceFamily(doc: { dialect: string; family: Family }): Family {
  return doc.dialect === 'save' ? doc.family : 'ipv4';
}

/**
 * A packet written back as a SPEC that parses to the same packet. Unknown fields are left
 * out; the state is always written, so the reader sees it.
 */
export function packetToSpec(p: Packet): string {
  const parts: string[] = [];
  const put = (key: PacketKey, value: string | number | undefined) => {
    if (value !== undefined && value !== '') parts.push(`${key}=${value}`);
  };
  if (p.origin === 'local') put('origin', 'local');
  put('in', p.in);
  put('out', p.out);
  put('proto', p.proto);
  put('src', p.src);
  put('sport', p.sport);
  put('dst', p.dst);
  put('dport', p.dport);
  if (p.icmpType !== undefined) put('icmp-type', p.icmpCode === undefined ? p.icmpType : `${p.icmpType}/${p.icmpCode}`);
  put('state', p.state);
  if (p.family !== 'ipv4') put('family', p.family);
  if (p.local.length) put('local', p.local.join(','));
  return parts.join(' ');
}

import { didYouMean } from '../didYouMean.ts';
import { checkInteger, parseNumber, U16 } from './integers.ts';
import { error, warning, type ValueProblem } from './problem.ts';
import { serviceNames, services } from './services.ts';
import type { ValueTypeName } from '../types.ts';

/**
 * Ports: a number 0–65535 (decimal, 0x hex or 0-octal, as strtoul reads it) or a service
 * name from /etc/services. The tcp and sctp matches and multiport look a name up for their
 * own protocol only; udp, dccp, conntrack, ipvs and the NAT targets take a name listed for
 * tcp, udp or sctp.
 */
export type ServiceProtocol = 'tcp' | 'udp' | 'sctp' | 'dccp' | 'udplite';

/**
 * A port of the range Linux opens outgoing connections from (net.ipv4.ip_local_port_range,
 * 32768–60999 by default): the far side's port of a connection the checks follow.
 */
export const EPHEMERAL_PORT = 40000;

/** The port a number or service name stands for (any protocol), or undefined. */
export function portNumber(value: string): number | undefined {
  const n = parseNumber(value);
  if (n !== undefined) return n <= U16 ? n : undefined;
  return serviceNames.get(value);
}

function serviceFor(name: string, protocol: ServiceProtocol | undefined): number | undefined {
  const s = services.get(name);
  if (!s) return undefined;
  if (protocol === undefined) return s.protocols.some((p) => p === 'tcp' || p === 'udp' || p === 'sctp') ? s.port : undefined;
  return s.protocols.includes(protocol) ? s.port : undefined;
}

/**
 * How the udp, dccp and conntrack matches and TPROXY read a port number (measured with iptables
 * 1.8.9, nf_tables and legacy): the resolver's service lookup reads it, in decimal only (`010`
 * is 10; `0x10` "does not resolve to anything"), and keeps the low 16 bits of a larger number
 * (`--dport 70000` loads as port 4464, 65536 as port 0), unless its low 32 bits read as a
 * negative int (2147483648), which does not resolve. tcp, sctp, multiport and the NAT targets
 * check the range instead and refuse 65536.
 */
function resolverPort(value: string): number | ValueProblem {
  if (!/^\+?\d+$/.test(value)) {
    const n = parseNumber(value);
    return error(`'${value}' is not a port here: this option reads decimal port numbers only${n !== undefined && n <= U16 ? ` (write ${n})` : ''}.`, n !== undefined && n <= U16 ? String(n) : undefined);
  }
  const n = BigInt(value.replace('+', ''));
  const low = n & 0xffffffffn;
  if (low >= 0x80000000n) return error(`Port ${value} is out of range: ports are 0–65535.`);
  const port = Number(low & 0xffffn);
  if (n > BigInt(U16)) return warning(`Port ${value} is out of range (ports are 0–65535): iptables keeps its low 16 bits, and the rule is about port ${port}.`);
  return port;
}

/** The value types whose options read a port number through the resolver (see resolverPort). */
export function readsPortsByResolver(type: ValueTypeName): boolean {
  return type === 'port' || type === 'port-range-loose';
}

/**
 * The port of one value for a protocol (undefined protocol: any), or a problem. `resolver`:
 * the option reads numbers as the resolver does (see resolverPort).
 */
export function resolvePort(value: string, protocol?: ServiceProtocol, resolver = false): number | ValueProblem {
  if (/^[+]?\d|^0x/i.test(value)) {
    if (resolver) return resolverPort(value);
    const e = checkInteger(value, 0, U16);
    if (e) return error(/out of range/.test(e) ? `Port ${value} is out of range: ports are 0–65535.` : e);
    const n = parseNumber(value)!;
    // measured (1.8.9): `--dport 010` of tcp loads as port 8, multiport's `010,022` as 8,18
    if (/^0[0-7]+$/.test(value)) return warning(`Port ${value} is read as octal (a leading 0): port ${n}. Write ${n}, or ${Number(value)} without the leading zero.`);
    return n;
  }
  if (value === '') return error('A port is missing.');
  if (value.startsWith('-')) return error(`'${value}' is not a port: ports are 0–65535.`);
  const port = serviceFor(value, protocol);
  if (port !== undefined) return port;
  const listed = services.get(value);
  if (listed && protocol) return error(`'${value}' is only a ${listed.protocols.join('/')} service in /etc/services, not ${protocol}: write the number ${listed.port} instead.`, String(listed.port));
  const lower = services.get(value.toLowerCase());
  if (lower) return error(`Service names are case-sensitive: write '${value.toLowerCase()}'.`, value.toLowerCase());
  const near = didYouMean(value, [...services.keys()].filter((n) => serviceFor(n, protocol) !== undefined));
  return error(`'${value}' is neither a port number (0–65535) nor a service name in /etc/services.${near ? ` Did you mean '${near}'?` : ''}`, near);
}

export function checkPort(value: string, protocol?: ServiceProtocol, resolver = false): ValueProblem | undefined {
  const r = resolvePort(value, protocol, resolver);
  return typeof r === 'number' ? undefined : r;
}

/**
 * `port`, `first:last`, `:last` or `first:` (tcp, udp, sctp, dccp, conntrack). With
 * `ordered` (tcp, sctp) iptables refuses a reversed range; the others keep it as written,
 * and then it never matches.
 */
export function checkPortRange(value: string, opts: { ordered?: boolean; protocol?: ServiceProtocol; resolver?: boolean } = {}): ValueProblem | undefined {
  // `--dport 22,80,443`: the commonest way to get it wrong
  if (value.includes(',')) return error(`'${value}' is a list: one port or a range goes here; several need -m multiport (--dports, --sports).`);
  const parts = value.split(':');
  if (parts.length > 2) return error(`'${value}' has more than one ':'; a range is first:last.`);
  if (parts.length === 1) {
    if (/^\d+-\d+$/.test(value)) return error(`'${value}' uses '-': a port range is written first:last here.`, value.replace('-', ':'));
    return checkPort(value, opts.protocol, opts.resolver);
  }
  const ends: number[] = [];
  for (const [i, p] of parts.entries()) {
    if (p === '') {
      ends.push(i === 0 ? 0 : U16);
      continue;
    }
    const r = resolvePort(p, opts.protocol, opts.resolver);
    // a suggestion replaces the whole value: this end replaced, the other kept
    if (typeof r !== 'number') return r.suggestion === undefined ? r : { ...r, suggestion: parts.map((q, k) => (k === i ? r.suggestion : q)).join(':') };
    ends.push(r);
  }
  if (ends[0] > ends[1]) {
    const swapped = `${parts[1]}:${parts[0]}`;
    return opts.ordered ? error(`The port range ${value} is reversed: write ${swapped}.`, swapped) : warning(`The port range ${value} is reversed: iptables keeps it as written and it never matches. Write ${swapped}.`, swapped);
  }
  return undefined;
}

/** multiport: comma-separated ports and first:last ranges, 15 at most, a range counting two. */
export function checkPortList(value: string, protocol?: ServiceProtocol): ValueProblem | undefined {
  let count = 0;
  for (const item of value.split(',')) {
    if (item === '') return error('Empty entry in the port list (two commas, or a comma at an end).');
    const parts = item.split(':');
    if (parts.length > 2) return error(`'${item}' has more than one ':'.`);
    if (parts.some((p) => p === '')) return error(`'${item}': multiport ranges need both ends (first:last).`);
    if (parts.length === 1 && /^\d+-\d+$/.test(item)) return error(`'${item}' uses '-': a port range is written first:last.`, value.replace(item, item.replace('-', ':')));
    const nums: number[] = [];
    for (const p of parts) {
      const r = resolvePort(p, protocol);
      if (typeof r !== 'number') return r;
      nums.push(r);
    }
    if (nums.length === 2 && nums[0] > nums[1]) return error(`The port range ${item} is reversed: write ${parts[1]}:${parts[0]}.`, value.replace(item, `${parts[1]}:${parts[0]}`));
    count += parts.length;
  }
  if (count > 15) return error(`multiport takes at most 15 ports, a range counting as two; this list counts ${count}. Split it over two rules.`);
  return undefined;
}

/**
 * `port[-port]` (MASQUERADE, REDIRECT --to-ports and the port part of SNAT/DNAT): a single
 * port may be a service name, a range is two numbers joined by '-'.
 */
export function checkDashRange(value: string, allowBase = false): ValueProblem | undefined {
  if (value.includes(':')) return error(`'${value}': port ranges are written with '-' here, not ':'.`, value.replace(':', '-'));
  let base: string | undefined;
  let range = value;
  if (allowBase && value.includes('/')) [range, base] = value.split('/', 2) as [string, string];
  if (services.has(range) && base === undefined) return undefined;
  const m = /^([^-]+)(?:-(.+))?$/.exec(range);
  if (!m) return error(`'${value}' is not a port or port range (port or first-last).`);
  const nums: number[] = [];
  for (const p of m[2] === undefined ? [m[1]] : [m[1], m[2]]) {
    if (m[2] !== undefined && !/^\d/.test(p)) return error(`In a port range both ends must be numbers; '${p}' is not.`);
    const r = resolvePort(p);
    if (typeof r !== 'number') return r;
    nums.push(r);
  }
  if (nums.length === 2 && nums[0] > nums[1]) return error(`The port range ${range} is reversed: write ${m[2]}-${m[1]}.`);
  if (base !== undefined) {
    if (m[2] === undefined) return error(`A base port ('/${base}') needs a port range before it (first-last/base).`);
    const r = resolvePort(base);
    if (typeof r !== 'number') return r;
    if (r === 0) return error('The base port cannot be 0: write a port from 1 to 65535 after the /.');
  }
  return undefined;
}

import { didYouMean } from '../didYouMean.ts';
import { checkInteger } from './integers.ts';
import { error, warning, type ValueProblem } from './problem.ts';

/**
 * ICMP and ICMPv6 types by name (with the type/code they stand for) and the Mobility Header
 * types of the mh match. iptables compares names without regard to case and also takes an
 * unambiguous beginning of a name (`frag` for fragmentation-needed).
 */
export interface IcmpName {
  name: string;
  type: number;
  /** A code, or undefined for "any code". */
  code?: number;
  doc: string;
  /** Another spelling of `of`. */
  aliasOf?: string;
}

const t = (name: string, type: number, code: number | undefined, doc: string, aliasOf?: string): IcmpName => ({ name, type, code, doc, aliasOf });

export const icmpTypes: readonly IcmpName[] = [
  t('any', 255, undefined, 'Every ICMP type.'),
  t('echo-reply', 0, undefined, 'Answer to a ping.'),
  t('pong', 0, undefined, 'Same as echo-reply.', 'echo-reply'),
  t('destination-unreachable', 3, undefined, 'The packet could not be delivered (any code).'),
  t('network-unreachable', 3, 0, 'No route to the network.'),
  t('host-unreachable', 3, 1, 'The host did not answer ARP, or no route.'),
  t('protocol-unreachable', 3, 2, 'The protocol is not supported by the receiver.'),
  t('port-unreachable', 3, 3, 'Nothing listens on the UDP port.'),
  t('fragmentation-needed', 3, 4, 'Too big and DF set: path MTU discovery depends on it.'),
  t('source-route-failed', 3, 5, 'Source route failed.'),
  t('network-unknown', 3, 6, 'Destination network unknown.'),
  t('host-unknown', 3, 7, 'Destination host unknown.'),
  t('network-prohibited', 3, 9, 'Network administratively prohibited.'),
  t('host-prohibited', 3, 10, 'Host administratively prohibited.'),
  t('TOS-network-unreachable', 3, 11, 'Network unreachable for this TOS.'),
  t('TOS-host-unreachable', 3, 12, 'Host unreachable for this TOS.'),
  t('communication-prohibited', 3, 13, 'Filtered by a firewall.'),
  t('host-precedence-violation', 3, 14, 'Precedence not allowed.'),
  t('precedence-cutoff', 3, 15, 'Precedence below the cutoff.'),
  t('source-quench', 4, undefined, 'Slow down (obsolete).'),
  t('redirect', 5, undefined, 'Use another gateway (any code).'),
  t('network-redirect', 5, 0, 'Redirect for the network.'),
  t('host-redirect', 5, 1, 'Redirect for the host.'),
  t('TOS-network-redirect', 5, 2, 'Redirect for network and TOS.'),
  t('TOS-host-redirect', 5, 3, 'Redirect for host and TOS.'),
  t('echo-request', 8, undefined, 'A ping.'),
  t('ping', 8, undefined, 'Same as echo-request.', 'echo-request'),
  t('router-advertisement', 9, undefined, 'Router advertisement.'),
  t('router-solicitation', 10, undefined, 'Router solicitation.'),
  t('time-exceeded', 11, undefined, 'TTL reached zero (what traceroute relies on).'),
  t('ttl-exceeded', 11, undefined, 'Same as time-exceeded.', 'time-exceeded'),
  t('ttl-zero-during-transit', 11, 0, 'TTL expired in transit.'),
  t('ttl-zero-during-reassembly', 11, 1, 'Fragment reassembly time exceeded.'),
  t('parameter-problem', 12, undefined, 'Bad IP header (any code).'),
  t('ip-header-bad', 12, 0, 'Bad IP header.'),
  t('required-option-missing', 12, 1, 'A required option is missing.'),
  t('timestamp-request', 13, undefined, 'Timestamp request.'),
  t('timestamp-reply', 14, undefined, 'Timestamp reply.'),
  t('address-mask-request', 17, undefined, 'Address mask request.'),
  t('address-mask-reply', 18, undefined, 'Address mask reply.'),
];

export const icmpv6Types: readonly IcmpName[] = [
  t('destination-unreachable', 1, undefined, 'The packet could not be delivered (any code).'),
  t('no-route', 1, 0, 'No route to the destination.'),
  t('communication-prohibited', 1, 1, 'Filtered by a firewall.'),
  t('beyond-scope', 1, 2, 'Beyond the scope of the source address.'),
  t('address-unreachable', 1, 3, 'Address unreachable.'),
  t('port-unreachable', 1, 4, 'Nothing listens on the port.'),
  t('failed-policy', 1, 5, 'Source address failed ingress/egress policy.'),
  t('reject-route', 1, 6, 'Reject route to the destination.'),
  t('packet-too-big', 2, undefined, 'Path MTU discovery depends on it: never drop it.'),
  t('time-exceeded', 3, undefined, 'Hop limit reached zero (traceroute).'),
  t('ttl-exceeded', 3, undefined, 'Same as time-exceeded.', 'time-exceeded'),
  t('ttl-zero-during-transit', 3, 0, 'Hop limit exceeded in transit.'),
  t('ttl-zero-during-reassembly', 3, 1, 'Fragment reassembly time exceeded.'),
  t('parameter-problem', 4, undefined, 'Bad header (any code).'),
  t('bad-header', 4, 0, 'Erroneous header field.'),
  t('unknown-header-type', 4, 1, 'Unrecognised next header.'),
  t('unknown-option', 4, 2, 'Unrecognised IPv6 option.'),
  t('echo-request', 128, undefined, 'A ping.'),
  t('ping', 128, undefined, 'Same as echo-request.', 'echo-request'),
  t('echo-reply', 129, undefined, 'Answer to a ping.'),
  t('pong', 129, undefined, 'Same as echo-reply.', 'echo-reply'),
  t('router-solicitation', 133, undefined, 'Neighbour discovery: looking for routers.'),
  t('router-advertisement', 134, undefined, 'Neighbour discovery: a router announces itself and the prefix.'),
  t('neighbour-solicitation', 135, undefined, 'Neighbour discovery: IPv6\'s ARP request.'),
  t('neighbor-solicitation', 135, undefined, 'Same as neighbour-solicitation.', 'neighbour-solicitation'),
  t('neighbour-advertisement', 136, undefined, 'Neighbour discovery: IPv6\'s ARP reply.'),
  t('neighbor-advertisement', 136, undefined, 'Same as neighbour-advertisement.', 'neighbour-advertisement'),
  t('redirect', 137, undefined, 'Use another first hop.'),
];

function byName(value: string, list: readonly IcmpName[], what: string): ValueProblem | undefined {
  const lower = value.toLowerCase();
  if (list.some((e) => e.name.toLowerCase() === lower)) return undefined;
  const starts = list.filter((e) => e.name.toLowerCase().startsWith(lower));
  if (starts.length === 1) return undefined;
  if (starts.length > 1) return error(`'${value}' is ambiguous: ${starts.map((e) => e.name).slice(0, 4).join(' or ')}.`, starts[0].name);
  if (value.includes(',')) return error(`Only one ${what} can be given per rule; write one rule per type (or use the numeric type for all its codes).`);
  const near = didYouMean(value, list.map((e) => e.name));
  return error(`'${value}' is not an ${what} name.${near ? ` Did you mean '${near}'?` : ` Write a name such as ${list.find((e) => e.name.startsWith('echo-request'))!.name}, or a number type[/code].`}`, near);
}

/** `type[/code[:code]]` numerically (0–255), or a name. */
export function checkIcmpType(value: string, family: 'ipv4' | 'ipv6'): ValueProblem | undefined {
  const what = family === 'ipv4' ? 'ICMP type' : 'ICMPv6 type';
  if (/^[0-9]/.test(value) || value.startsWith('-')) {
    const m = /^([^/]+)(?:\/([^:]*)(?::(.*))?)?$/.exec(value);
    if (!m) return error(`'${value}' is not an ${what}: write type, type/code or a name.`);
    if (checkInteger(m[1], 0, 255)) return error(`'${m[1]}' is not an ${what}: numbers are 0–255.`);
    if (m[2] !== undefined && (m[2] === '' || checkInteger(m[2], 0, 255))) return error(`'${m[2]}' is not a code: codes are 0–255.`);
    if (m[3] !== undefined && (m[3] === '' || checkInteger(m[3], 0, 255))) return error(`'${m[3]}' is not a code: codes are 0–255.`);
    if (m[3] !== undefined && Number(m[3]) < Number(m[2])) return warning(`The code range ${m[2]}:${m[3]} is reversed; iptables keeps only code ${m[2]}.`, `${m[1]}/${m[3]}:${m[2]}`);
    if (family === 'ipv4' && Number(m[1]) === 255 && m[2] === undefined) return undefined;
    return undefined;
  }
  if (family === 'ipv6' && value.toLowerCase() === 'any') return error('ip6tables has no \'any\' ICMPv6 type: leave out --icmpv6-type to match every type.');
  return byName(value, family === 'ipv4' ? icmpTypes : icmpv6Types, what);
}

/** What an `--icmp-type` / `--icmpv6-type` value matches: a type, and codes from `codes[0]` to `codes[1]` (every code when absent). */
export interface IcmpMatch {
  /** Undefined: every type (IPv4's `any`). */
  type?: number;
  codes?: [number, number];
}

/**
 * The type and codes a valid value stands for, as iptables reads it: a name (any case, or an
 * unambiguous beginning of one) or `type[/code[:code]]`; undefined for a value it refuses.
 */
export function readIcmpType(value: string, family: 'ipv4' | 'ipv6'): IcmpMatch | undefined {
  const problem = checkIcmpType(value, family);
  if (problem && problem.severity !== 'warning') return undefined;
  if (/^[0-9]/.test(value)) {
    const [type, code] = value.split('/');
    if (family === 'ipv4' && Number(type) === 255 && code === undefined) return {};
    if (code === undefined) return { type: Number(type) };
    const lo = Number(code.split(':')[0]);
    const hi = Number(code.split(':')[1] ?? lo);
    // a reversed range keeps its first code (see checkIcmpType)
    return { type: Number(type), codes: [lo, hi < lo ? lo : hi] };
  }
  const list = family === 'ipv4' ? icmpTypes : icmpv6Types;
  const lower = value.toLowerCase();
  const e = list.find((x) => x.name.toLowerCase() === lower) ?? list.find((x) => x.name.toLowerCase().startsWith(lower));
  if (!e) return undefined;
  if (family === 'ipv4' && e.name === 'any') return {};
  return e.code === undefined ? { type: e.type } : { type: e.type, codes: [e.code, e.code] };
}

export const mhTypes: readonly IcmpName[] = [
  t('binding-refresh-request', 0, undefined, 'Binding refresh request.'),
  t('brr', 0, undefined, 'Same as binding-refresh-request.', 'binding-refresh-request'),
  t('home-test-init', 1, undefined, 'Home test init.'),
  t('hoti', 1, undefined, 'Same as home-test-init.', 'home-test-init'),
  t('careof-test-init', 2, undefined, 'Care-of test init.'),
  t('coti', 2, undefined, 'Same as careof-test-init.', 'careof-test-init'),
  t('home-test', 3, undefined, 'Home test.'),
  t('hot', 3, undefined, 'Same as home-test.', 'home-test'),
  t('careof-test', 4, undefined, 'Care-of test.'),
  t('cot', 4, undefined, 'Same as careof-test.', 'careof-test'),
  t('binding-update', 5, undefined, 'Binding update.'),
  t('bu', 5, undefined, 'Same as binding-update.', 'binding-update'),
  t('binding-acknowledgement', 6, undefined, 'Binding acknowledgement.'),
  t('ba', 6, undefined, 'Same as binding-acknowledgement.', 'binding-acknowledgement'),
  t('binding-error', 7, undefined, 'Binding error.'),
  t('be', 7, undefined, 'Same as binding-error.', 'binding-error'),
];

/** mh --mh-type: a name or number 0–255, or a range `type:type`. */
export function checkMhType(value: string): ValueProblem | undefined {
  const parts = value.split(':');
  if (parts.length > 2) return error(`'${value}' has more than one ':'.`);
  for (const p of parts) {
    if (p === '' && parts.length === 2) continue;
    if (/^\d/.test(p)) {
      if (checkInteger(p, 0, 255)) return error(`'${p}' is not a Mobility Header type: numbers are 0–255.`);
      continue;
    }
    if (mhTypes.some((e) => e.name === p.toLowerCase())) continue;
    const near = didYouMean(p, mhTypes.map((e) => e.name));
    return error(`'${p}' is not a Mobility Header type.${near ? ` Did you mean '${near}'?` : ''}`, near === undefined ? undefined : value.replace(p, near));
  }
  // ip6tables refuses a reversed range ("Invalid MH type range (min > max)", 1.8.9)
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '' && mhTypeNumber(parts[0])! > mhTypeNumber(parts[1])!) {
    const swapped = `${parts[1]}:${parts[0]}`;
    return error(`The Mobility Header type range ${value} is reversed: write ${swapped}.`, swapped);
  }
  return undefined;
}

/** A Mobility Header type's number, from its number or name (one checkMhType accepted). */
function mhTypeNumber(p: string): number | undefined {
  return /^\d/.test(p) ? Number(p) : mhTypes.find((e) => e.name === p.toLowerCase())?.type;
}

import { didYouMean } from '../didYouMean.ts';
import { error, type ValueProblem } from './problem.ts';
import type { Family } from '../types.ts';
import { parseBigNumber } from './integers.ts';

/** A closed set of values, each with a short description (completion, hover, checks). */
export type Named = readonly (readonly [name: string, doc: string])[];

export interface EnumOptions {
  /** iptables compares without regard to case. */
  ignoreCase?: boolean;
  /** iptables also takes an unambiguous beginning of a name (`LOCA` for LOCAL). */
  prefixes?: boolean;
  /** Most items a list takes. */
  maxItems?: number;
  /** iptables tolerates empty items (`SYN,`). */
  allowEmpty?: boolean;
}

function find(item: string, names: readonly string[], opts: EnumOptions): string | ValueProblem | undefined {
  const eq = (a: string, b: string) => (opts.ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  const exact = names.find((n) => eq(n, item));
  if (exact !== undefined) return exact;
  if (opts.prefixes && item !== '') {
    const starts = names.filter((n) => (opts.ignoreCase ? n.toLowerCase().startsWith(item.toLowerCase()) : n.startsWith(item)));
    if (starts.length === 1) return starts[0];
    if (starts.length > 1) return error(`'${item}' is ambiguous: ${starts.slice(0, 4).join(', ')}${starts.length > 4 ? ', …' : ''}.`, starts[0]);
  }
  return undefined;
}

function unknown(item: string, whole: string, names: readonly string[], what: string, opts: EnumOptions): ValueProblem {
  const near = didYouMean(item, names, { ignoreCase: true });
  const caseOnly = near !== undefined && near.toLowerCase() === item.toLowerCase();
  const list = names.length <= 12 ? ` (${names.join(', ')})` : '';
  const message = caseOnly && !opts.ignoreCase
    ? `'${item}' must be written '${near}' (upper/lower case matters here).`
    : `'${item}' is not a ${what}${list}.${near ? ` Did you mean '${near}'?` : ''}`;
  return error(message, near === undefined ? undefined : whole === item ? near : whole.split(',').map((x) => (x === item ? near : x)).join(','));
}

/** Exactly one value of the set. */
export function checkEnum(value: string, set: Named | readonly string[], what: string, opts: EnumOptions = {}): ValueProblem | undefined {
  const names = set.map((e) => (typeof e === 'string' ? e : e[0]));
  if (value.includes(',') && !names.some((n) => n.includes(','))) {
    const items = value.split(',');
    if (items.every((i) => find(i, names, opts) !== undefined)) return error(`Only one ${what} can be given here, not a list.`);
  }
  const r = find(value, names, opts);
  if (typeof r === 'string') return undefined;
  return r ?? unknown(value, value, names, what, opts);
}

/** A comma-separated list of values of the set. */
export function checkEnumList(value: string, set: Named | readonly string[], what: string, opts: EnumOptions = {}): ValueProblem | undefined {
  const names = set.map((e) => (typeof e === 'string' ? e : e[0]));
  const items = value.split(',');
  if (opts.maxItems !== undefined && items.length > opts.maxItems) return error(`At most ${opts.maxItems} values can be listed; this list has ${items.length}.`);
  for (const item of items) {
    if (item === '') {
      if (opts.allowEmpty) continue;
      return error(`Empty entry in the ${what} list (two commas, or a comma at an end).`, value.split(',').filter((x) => x !== '').join(','));
    }
    const r = find(item, names, opts);
    if (typeof r === 'string') continue;
    return r ?? unknown(item, value, names, what, opts);
  }
  return undefined;
}

/** Log levels of the LOG target (syslog priorities); also the numbers 0–7. */
export const logLevels: Named = [
  ['emerg', '0: the system is unusable.'],
  ['panic', '0: same as emerg.'],
  ['alert', '1: act immediately.'],
  ['crit', '2: critical condition.'],
  ['error', '3: error condition.'],
  ['warning', '4: warning (the default).'],
  ['notice', '5: normal but significant.'],
  ['info', '6: informational.'],
  ['debug', '7: debugging detail.'],
];

/** The syslog priority each level name stands for (what the kernel keeps). */
const LOG_LEVEL_NUMBERS: Readonly<Record<string, number>> = Object.assign(Object.create(null) as Record<string, number>, {
  emerg: 0, panic: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7,
});

/** LOG's level as the kernel keeps it: a name above, or 0–7 (decimal, 0x hex or 0 octal, as iptables reads it). */
export function logLevelNumber(value: string): number | undefined {
  const named = LOG_LEVEL_NUMBERS[value];
  if (named !== undefined) return named;
  const n = parseBigNumber(value);
  return n !== undefined && n >= 0n && n <= 7n ? Number(n) : undefined;
}

export const rejectWith4: Named = [
  ['icmp-port-unreachable', 'The default: ICMP port unreachable, what a closed UDP port answers.'],
  ['icmp-net-unreachable', 'ICMP network unreachable.'],
  ['icmp-host-unreachable', 'ICMP host unreachable.'],
  ['icmp-proto-unreachable', 'ICMP protocol unreachable.'],
  ['icmp-net-prohibited', 'ICMP network administratively prohibited.'],
  ['icmp-host-prohibited', 'ICMP host administratively prohibited.'],
  ['icmp-admin-prohibited', 'ICMP communication administratively prohibited.'],
  ['tcp-reset', 'A TCP RST, what a closed TCP port answers (the rule must match -p tcp).'],
  ['net-unreach', 'Short for icmp-net-unreachable.'],
  ['host-unreach', 'Short for icmp-host-unreachable.'],
  ['proto-unreach', 'Short for icmp-proto-unreachable.'],
  ['port-unreach', 'Short for icmp-port-unreachable.'],
  ['icmp-port-unreach', 'Short for icmp-port-unreachable.'],
  ['net-prohib', 'Short for icmp-net-prohibited.'],
  ['host-prohib', 'Short for icmp-host-prohibited.'],
  ['admin-prohib', 'Short for icmp-admin-prohibited.'],
  ['tcp-rst', 'Short for tcp-reset.'],
];

export const rejectWith6: Named = [
  ['icmp6-port-unreachable', 'The default: ICMPv6 port unreachable.'],
  ['port-unreach', 'Short for icmp6-port-unreachable.'],
  ['icmp6-no-route', 'ICMPv6 no route to destination.'],
  ['no-route', 'Short for icmp6-no-route.'],
  ['icmp6-adm-prohibited', 'ICMPv6 administratively prohibited.'],
  ['adm-prohibited', 'Short for icmp6-adm-prohibited.'],
  ['icmp6-addr-unreachable', 'ICMPv6 address unreachable.'],
  ['addr-unreach', 'Short for icmp6-addr-unreachable.'],
  ['icmp6-policy-fail', 'ICMPv6 source address failed ingress/egress policy.'],
  ['policy-fail', 'Short for icmp6-policy-fail.'],
  ['icmp6-reject-route', 'ICMPv6 reject route to destination.'],
  ['reject-route', 'Short for icmp6-reject-route.'],
  ['tcp-reset', 'A TCP RST (the rule must match -p tcp).'],
];

/** The full names of REJECT's short ones, per family (the kernel keeps one number for both). */
const REJECT_SHORT: Readonly<Record<Family, Readonly<Record<string, string>>>> = {
  ipv4: {
    'net-unreach': 'icmp-net-unreachable', 'host-unreach': 'icmp-host-unreachable', 'proto-unreach': 'icmp-proto-unreachable',
    'port-unreach': 'icmp-port-unreachable', 'icmp-port-unreach': 'icmp-port-unreachable', 'net-prohib': 'icmp-net-prohibited',
    'host-prohib': 'icmp-host-prohibited', 'admin-prohib': 'icmp-admin-prohibited', 'tcp-rst': 'tcp-reset',
  },
  ipv6: {
    'port-unreach': 'icmp6-port-unreachable', 'no-route': 'icmp6-no-route', 'adm-prohibited': 'icmp6-adm-prohibited',
    'addr-unreach': 'icmp6-addr-unreachable', 'policy-fail': 'icmp6-policy-fail', 'reject-route': 'icmp6-reject-route',
  },
};

/** A REJECT type by its full name (any case, as iptables reads it); undefined when not one of the family's. */
export function rejectTypeName(value: string, family: Family): string | undefined {
  const name = value.toLowerCase();
  const full = Object.hasOwn(REJECT_SHORT[family], name) ? REJECT_SHORT[family][name] : name;
  return (family === 'ipv6' ? rejectWith6 : rejectWith4).some(([n]) => n === full) ? full : undefined;
}

export const pktTypes: Named = [
  ['unicast', 'Addressed to this host\'s link-layer address.'],
  ['broadcast', 'Sent to the link-layer broadcast address.'],
  ['multicast', 'Sent to a link-layer multicast group.'],
  ['host', 'Same as unicast.'],
  ['otherhost', 'Addressed to another host (seen in promiscuous mode or on a bridge).'],
];

export const addrTypes: Named = [
  ['UNSPEC', 'Unspecified address (0.0.0.0 or ::).'],
  ['UNICAST', 'An ordinary unicast address.'],
  ['LOCAL', 'An address of this host (any interface).'],
  ['BROADCAST', 'A broadcast address.'],
  ['ANYCAST', 'An anycast address.'],
  ['MULTICAST', 'A multicast address.'],
  ['BLACKHOLE', 'Routed to a blackhole route.'],
  ['UNREACHABLE', 'Routed to an unreachable route.'],
  ['PROHIBIT', 'Routed to a prohibit route.'],
  ['THROW', 'Routed to a throw route.'],
  ['NAT', 'A NAT route type (historical).'],
  ['XRESOLVE', 'An external-resolver route type (historical).'],
];

export const setFlags: Named = [
  ['src', 'Look up the packet\'s source (address, port, …) in this dimension of the set.'],
  ['dst', 'Look up the packet\'s destination in this dimension of the set.'],
];

export const ipv6Headers: Named = [
  ['hop', 'Hop-by-hop options header.'],
  ['hop-by-hop', 'Same as hop.'],
  ['dst', 'Destination options header.'],
  ['ipv6-opts', 'Same as dst (its /etc/protocols name).'],
  ['route', 'Routing header.'],
  ['ipv6-route', 'Same as route.'],
  ['frag', 'Fragment header.'],
  ['ipv6-frag', 'Same as frag.'],
  ['auth', 'Authentication header (AH).'],
  ['ah', 'Same as auth.'],
  ['esp', 'Encapsulating security payload header.'],
  ['none', 'No next header (59).'],
  ['ipv6-nonxt', 'Same as none.'],
  ['prot', 'Any upper-layer protocol header.'],
  ['protocol', 'Same as prot.'],
];

export const sctpChunkTypes: Named = [
  ['DATA', 'Payload data; flags I U B E.'],
  ['INIT', 'Association setup.'],
  ['INIT_ACK', 'Setup acknowledgement.'],
  ['SACK', 'Selective acknowledgement.'],
  ['HEARTBEAT', 'Heartbeat request.'],
  ['HEARTBEAT_ACK', 'Heartbeat acknowledgement.'],
  ['ABORT', 'Abort the association; flag T.'],
  ['SHUTDOWN', 'Start shutdown.'],
  ['SHUTDOWN_ACK', 'Shutdown acknowledgement.'],
  ['ERROR', 'Operation error.'],
  ['COOKIE_ECHO', 'State cookie.'],
  ['COOKIE_ACK', 'Cookie acknowledgement.'],
  ['ECN_ECNE', 'ECN echo.'],
  ['ECN_CWR', 'Congestion window reduced.'],
  ['SHUTDOWN_COMPLETE', 'Shutdown complete; flag T.'],
  ['I_DATA', 'Interleaved payload data; flags I U B E.'],
  ['RE_CONFIG', 'Stream reconfiguration.'],
  ['PAD', 'Padding.'],
  ['ASCONF', 'Address configuration change.'],
  ['ASCONF_ACK', 'Address configuration acknowledgement.'],
  ['FORWARD_TSN', 'Forward cumulative TSN.'],
  ['I_FORWARD_TSN', 'Interleaved forward TSN.'],
  ['ALL', 'Every chunk type.'],
  ['NONE', 'No chunk type.'],
];

const chunkFlags: Readonly<Record<string, string>> = { DATA: 'IUBE', I_DATA: 'IUBE', ABORT: 'T', SHUTDOWN_COMPLETE: 'T' };

/** sctp --chunk-types list: `TYPE[:flags][,TYPE[:flags]...]`, upper-case flag = set, lower-case = clear. */
export function checkSctpChunks(value: string): ValueProblem | undefined {
  for (const item of value.split(',')) {
    const [type, flags, ...rest] = item.split(':');
    if (rest.length) return error(`'${item}' has more than one ':'.`);
    const p = checkEnum(type, sctpChunkTypes, 'SCTP chunk type', { ignoreCase: true });
    if (p) return p.suggestion ? { ...p, suggestion: value.replace(type, p.suggestion) } : p;
    if (flags !== undefined) {
      const allowed = chunkFlags[type.toUpperCase()];
      if (!allowed) return error(`Chunk type ${type.toUpperCase()} has no flags to match; only DATA and I_DATA (I U B E) and ABORT and SHUTDOWN_COMPLETE (T) do.`);
      for (const f of flags) if (!allowed.includes(f.toUpperCase())) return error(`'${f}' is not a flag of ${type.toUpperCase()} (${allowed.split('').join(' ')}; lower case means clear).`);
    }
  }
  return undefined;
}

export const dccpTypes: Named = [
  ['REQUEST', 'Connection request.'],
  ['RESPONSE', 'Connection response.'],
  ['DATA', 'Data only.'],
  ['ACK', 'Acknowledgement only.'],
  ['DATAACK', 'Data with acknowledgement.'],
  ['CLOSEREQ', 'Close request (server side).'],
  ['CLOSE', 'Close.'],
  ['RESET', 'Reset (ends the connection).'],
  ['SYNC', 'Resynchronisation.'],
  ['SYNCACK', 'Resynchronisation acknowledgement.'],
  ['INVALID', 'Any other type.'],
];

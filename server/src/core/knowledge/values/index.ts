import { CHAIN_NAME_MAX } from '../chainNames.ts';
import { didYouMean } from '../didYouMean.ts';
import { protocolNames, protocolNumber } from '../protocols.ts';
import type { ArgSpec, Family, ValueTypeName } from '../types.ts';
import { checkAddress, checkAddressList, checkAddressRange, checkHostMask, checkIPv6AddressList, checkMac, checkNatDestination, checkNptPrefix, checkPrefixOrMask } from './addresses.ts';
import { ctDirections, ctEvents, ctStates, ctStatuses, checkCtStates, checkStates, checkZone, expEvents, states } from './conntrack.ts';
import { checkDscp, checkDscpClass, checkTos, dscpClasses, tosNames } from './dscp.ts';
import { addrTypes, checkEnum, checkEnumList, checkSctpChunks, logLevels, pktTypes, rejectWith4, rejectWith6, sctpChunkTypes, setFlags, type Named } from './enums.ts';
import { checkIcmpType, checkMhType, icmpTypes, icmpv6Types, mhTypes, type IcmpName } from './icmp.ts';
import { checkInteger, checkIntegerRange, checkPrefixLength, checkProbability, checkQueueRange, parseBigNumber, U32, U64 } from './integers.ts';
import { checkInterface } from './interfaces.ts';
import { checkBits, checkMark, checkNameOrMark, maskedOutBits } from './marks.ts';
import { checkDashRange, checkPort, checkPortList, checkPortRange, type ServiceProtocol } from './ports.ts';
import { asError, error, warning, type ValueProblem } from './problem.ts';
import { checkBandwidth, checkBurst, checkDuration, checkHashlimitRate, checkRate } from './rates.ts';
import { checkBpfBytecode, checkConnlabel, checkIpv6OptionList, checkLedDelay, checkOwnerId, checkTcClass, checkU32 } from './special.ts';
import { checkHexString, checkString } from './strings.ts';
import { checkHelperName, helperNames } from './helpers.ts';
import { checkTcpFlags, checkTcpOptionList, checkTcpOptionNumber, tcpFlags, tcpOptionNames } from './tcpFlags.ts';
import { checkDate, checkMonthdays, checkTime, checkWeekdays, weekdays } from './time.ts';

/** Other names syslog uses for the log levels iptables knows, for the did-you-mean. */
const SYSLOG_SPELLINGS = new Map([['warn', 'warning'], ['err', 'error'], ['emergency', 'emerg'], ['critical', 'crit'], ['information', 'info'], ['informational', 'info']]);

export type { ValueProblem } from './problem.ts';
export type { Named } from './enums.ts';

export interface ValueContext {
  family: Family;
  /** The argument being checked: bounds, enum values, service protocol. */
  arg?: ArgSpec;
  /**
   * The rule's `-p` protocol, when known: multiport looks port names up for it (`ntp` is
   * udp-only). Left out, names of any protocol pass.
   */
  protocol?: string;
  /**
   * Also report values iptables accepts but that do not do what they say (a reversed range
   * that never matches, text cut short, `-s 10` read as 10.0.0.0), with severity 'warning'.
   * Off by default: then only values iptables refuses are reported.
   */
  warnings?: boolean;
}

const ICMP_DOC = (e: IcmpName) => `${e.code === undefined ? `type ${e.type}` : `type ${e.type} code ${e.code}`}: ${e.doc}`;
const fromIcmp = (list: readonly IcmpName[]): Named => list.map((e) => [e.name, ICMP_DOC(e)] as const);

function enumSet(arg: ArgSpec | undefined): Named | undefined {
  return arg?.values?.map((v) => [v, arg.valueDocs?.[v] ?? ''] as const);
}

/** The closed set of values of a type, when it has one (completion, hover). */
export function namedValues(type: ValueTypeName, ctx: ValueContext): Named | undefined {
  switch (type) {
    case 'ctstate-list': return ctStates;
    case 'state-list': return states;
    case 'ctstatus-list': return ctStatuses;
    case 'ctdir': return ctDirections;
    case 'tcp-flag-list': return tcpFlags;
    case 'tcp-option-list': return tcpOptionNames;
    case 'icmp-type': return fromIcmp(icmpTypes);
    case 'icmpv6-type': return fromIcmp(icmpv6Types);
    case 'mh-type': return fromIcmp(mhTypes);
    case 'log-level': return logLevels;
    case 'reject-with': return ctx.family === 'ipv6' ? rejectWith6 : rejectWith4;
    case 'dscp-class': return dscpClasses;
    case 'tos': return tosNames;
    case 'weekdays': return weekdays;
    case 'set-flags': return setFlags;
    case 'pkttype': return pktTypes;
    case 'addrtype-list': return addrTypes;
    case 'sctp-chunk-list': return sctpChunkTypes;
    case 'protocol': return protocolNames.filter((p) => p.doc !== undefined).map((p) => [p.name, `${p.number}: ${p.doc}`] as const);
    case 'zone': return [['mark', 'Take the zone from the packet mark.']];
    case 'led-delay': return [['inf', 'Leave the LED on once triggered.']];
    case 'ct-helper':
    case 'helper-name': return helperNames(ctx.family);
    case 'enum':
    case 'enum-list': return enumSet(ctx.arg);
    default: return undefined;
  }
}

function checkProtocol(value: string): ValueProblem | undefined {
  if (protocolNumber(value) !== undefined) return undefined;
  if (/^\d+$/.test(value)) return error(`Protocol number ${value} is out of range: 0–255.`);
  const names = protocolNames.map((p) => p.name);
  const near = didYouMean(value.toLowerCase(), names);
  return error(`'${value}' is not a protocol iptables knows (tcp, udp, icmp, ipv6-icmp, esp, ah, sctp, gre, all, a name from /etc/protocols, or a number 0–255).${near ? ` Did you mean '${near}'?` : ''}`, near);
}

/** A numeric bound; 2^64-1 cannot be written exactly as a number, so it is read as that. */
function bound(max: number | undefined, fallback: number): number | bigint {
  if (max === undefined) return fallback;
  return max >= 2 ** 64 - 1 ? U64 : max;
}

/** multiport looks names up for the rule's protocol; the others for the one their arg names (or any). */
function serviceProtocol(ctx: ValueContext, fromRule = false): ServiceProtocol | undefined {
  if (ctx.arg?.serviceProtocol) return ctx.arg.serviceProtocol;
  if (!fromRule) return undefined;
  const p = ctx.protocol?.toLowerCase();
  const n = p === undefined ? undefined : protocolNumber(p);
  return n === 6 ? 'tcp' : n === 17 ? 'udp' : n === 132 ? 'sctp' : n === 33 ? 'dccp' : n === 136 ? 'udplite' : undefined;
}

/**
 * Checks one value against its type. Returns undefined when iptables accepts it, a problem
 * saying what is wrong and what would be right when it refuses it. With `ctx.warnings`, also
 * values iptables accepts but that cannot work as written (severity 'warning'). Values
 * holding shell expansions must not be passed here.
 */
export function checkValue(type: ValueTypeName, value: string, ctx: ValueContext): ValueProblem | undefined {
  const problem = check(type, value, ctx);
  return problem?.severity === 'warning' && !ctx.warnings ? undefined : problem;
}

function check(type: ValueTypeName, value: string, ctx: ValueContext): ValueProblem | undefined {
  const arg = ctx.arg;
  const v6 = ctx.family === 'ipv6';
  const prefixMax = v6 ? 128 : 32;
  // a string switch compares case by case: the types of most values of a dump come first
  switch (type) {
    case 'any': return undefined;
    case 'chain': return value === '' ? error('A chain name cannot be empty.') : value.length > CHAIN_NAME_MAX ? error(`'${value}' is ${value.length} characters long; chain names have at most ${CHAIN_NAME_MAX}.`) : undefined;
    // a target's name is as long as a chain's at most ("Invalid target name … (28 chars max)")
    case 'target-name': return value === '' ? error('A target cannot be empty.') : value.length > CHAIN_NAME_MAX ? error(`'${value}' is ${value.length} characters long; target and chain names have at most ${CHAIN_NAME_MAX}.`) : undefined;
    case 'string': return checkString(value, arg);
    case 'address': return (arg?.overMax === 'clamps' && clampedPrefix(value, ctx.family)) || checkAddress(value, ctx.family);
    case 'address-list': return checkAddressList(value, ctx.family);
    case 'host': return checkAddress(value, ctx.family, { allowMask: false });
    case 'address-range': return checkAddressRange(value, ctx.family);
    case 'address-or-range':
    case 'nat-destination': return checkNatDestination(value, ctx.family);
    case 'ipv6-address-list': return checkIPv6AddressList(value, arg?.maxItems);
    case 'host-mask': return checkHostMask(value, ctx.family);
    case 'plen-or-mask': return checkPrefixOrMask(value, ctx.family);
    case 'npt-prefix': return checkNptPrefix(value);
    case 'prefix-length': return asError(checkPrefixLength(value, arg?.max ?? prefixMax));
    case 'interface': return checkInterface(value);
    case 'protocol': return checkProtocol(value);
    // the options of these two types read numbers through the resolver (see readsPortsByResolver)
    case 'port': return checkPort(value, serviceProtocol(ctx), true);
    case 'port-range': return checkPortRange(value, { ordered: true, protocol: serviceProtocol(ctx) });
    case 'port-range-loose': return checkPortRange(value, { ordered: false, protocol: serviceProtocol(ctx), resolver: true });
    case 'port-list': return checkPortList(value, serviceProtocol(ctx, true));
    case 'port-or-range-dash': return checkDashRange(value);
    case 'queue-range': return asError(checkQueueRange(value));
    case 'probability': return asError(checkProbability(value));
    case 'zone': return checkZone(value);
    case 'rate': return checkRate(value);
    case 'rate-or-bytes': return checkHashlimitRate(value);
    case 'burst': return checkBurst(value);
    case 'bandwidth': return checkBandwidth(value);
    case 'duration': return checkDuration(value, arg?.max);
    case 'ctstate-list': return checkCtStates(value);
    case 'state-list': return checkStates(value);
    case 'ctstatus-list': return checkEnumList(value, ctStatuses, 'conntrack status', { ignoreCase: true });
    case 'ctdir': return checkEnum(value, ctDirections, 'direction (ORIGINAL or REPLY)', { ignoreCase: true });
    case 'tcp-flag-list': return checkTcpFlags(value);
    case 'tcp-option-number': return checkTcpOptionNumber(value);
    case 'tcp-option-list': return checkTcpOptionList(value);
    case 'icmp-type': return checkIcmpType(value, 'ipv4');
    case 'icmpv6-type': return checkIcmpType(value, 'ipv6');
    case 'mh-type': return checkMhType(value);
    case 'mark': return checkMark(value) ?? (arg?.comparedUnderMask ? maskedOutBits(value, 'mark') : undefined);
    case 'group-or-mark': return checkNameOrMark(value, arg?.name.includes('realm') ? 'realm' : 'group') ?? (arg?.comparedUnderMask ? maskedOutBits(value, 'realm') : undefined);
    case 'hex-integer': return checkBits(value, arg?.max !== undefined ? Math.ceil(Math.log2(arg.max + 1)) : 32);
    case 'integer': {
      const max = bound(v6 && arg?.maxIpv6 !== undefined ? arg.maxIpv6 : arg?.max, U32);
      return (arg?.overMax && arg.overMax !== 'clamps' && pastMax(value, max, arg.overMax)) || asError(checkInteger(value, arg?.min ?? 0, max));
    }
    case 'integer-range': return asError(checkIntegerRange(value, arg?.min ?? 0, bound(arg?.max, U32), arg?.ordered));
    case 'length-range': return asError(checkIntegerRange(value, arg?.min ?? 0, bound(arg?.max, 65535), arg?.ordered)) ?? reversedLength(value);
    case 'ttl': return asError(checkInteger(value, arg?.min ?? 0, 255));
    case 'log-level': {
      if (/^(0x0*[0-7]|0*[0-7])$/.test(value) || logLevels.some(([n]) => n === value)) return undefined;
      const near = SYSLOG_SPELLINGS.get(value.toLowerCase()) ?? didYouMean(value, logLevels.map(([n]) => n));
      return error(`'${value}' is not a log level: use emerg, alert, crit, error, warning, notice, info, debug (lower case) or 0–7.${near ? ` Did you mean '${near}'?` : ''}`, near);
    }
    case 'reject-with': {
      const p = checkEnum(value, v6 ? rejectWith6 : rejectWith4, `reject type for ${v6 ? 'ip6tables' : 'iptables'}`, { ignoreCase: true });
      if (p && !p.suggestion) {
        const other = (v6 ? rejectWith4 : rejectWith6).find(([n]) => n === value.toLowerCase());
        if (other) return error(`'${value}' is a reject type of ${v6 ? 'iptables (IPv4)' : 'ip6tables (IPv6)'}; ${v6 ? 'ip6tables' : 'iptables'} has ${v6 ? 'icmp6-port-unreachable, icmp6-adm-prohibited, …' : 'icmp-port-unreachable, icmp-admin-prohibited, …'}.`, v6 ? value.replace(/^icmp-/, 'icmp6-').replace('admin-prohibited', 'adm-prohibited').replace('host-unreachable', 'addr-unreachable').replace('net-unreachable', 'no-route') : value.replace(/^icmp6-/, 'icmp-'));
      }
      return p;
    }
    case 'time': return checkTime(value);
    case 'date': return checkDate(value);
    case 'weekdays': return checkWeekdays(value);
    case 'monthdays': return checkMonthdays(value);
    case 'dscp': return checkDscp(value);
    case 'dscp-class': return checkDscpClass(value);
    case 'tos': return checkTos(value) ?? (arg?.comparedUnderMask ? maskedOutBits(value, 'TOS byte') : undefined);
    case 'mac-address': return checkMac(value);
    case 'set-flags': return checkEnumList(value, setFlags, 'set flag (src or dst)', { maxItems: arg?.maxItems ?? 6 });
    case 'pkttype': return checkEnum(value, pktTypes, 'packet type', { ignoreCase: true });
    case 'addrtype-list': return checkEnumList(value, addrTypes, 'address type', { ignoreCase: true, prefixes: true });
    case 'sctp-chunk-list': return checkSctpChunks(value);
    case 'ipv6-option-list': return checkIpv6OptionList(value, arg?.maxItems);
    case 'owner-id': return checkOwnerId(value);
    case 'connlabel': return checkConnlabel(value);
    case 'tc-class': return checkTcClass(value);
    case 'led-delay': return checkLedDelay(value);
    case 'u32-tests': return checkU32(value);
    case 'bpf-bytecode': return checkBpfBytecode(value);
    case 'ct-helper': return checkString(value, arg) ?? checkHelperName(value);
    case 'helper-name': return checkString(value, arg) ?? checkHelperName(value, true);
    case 'enum': {
      const set = enumSet(arg);
      return set ? checkEnum(value, set, 'value here', { ignoreCase: arg?.ignoreCase }) : undefined;
    }
    case 'enum-list': {
      const set = enumSet(arg);
      return set ? checkEnumList(value, set, 'value here', { ignoreCase: arg?.ignoreCase, maxItems: arg?.maxItems }) : undefined;
    }
    case 'hex-string': return checkHexString(value, arg?.max);
    case 'table': return checkEnum(value, ['filter', 'nat', 'mangle', 'raw', 'security'], 'table');
    default: {
      const unknown: never = type;
      return error(`No checker for ${String(unknown)}.`);
    }
  }
}

/** Values for completion, for the types that have a closed set. */
export function valueCompletions(type: ValueTypeName, ctx: ValueContext): { label: string; detail: string }[] {
  const set = namedValues(type, ctx);
  return set ? set.map(([label, detail]) => ({ label, detail })) : [];
}

/** Every value type that `checkValue` knows (for data-integrity tests). */
export const checkedTypes: readonly ValueTypeName[] = [
  'address', 'address-list', 'host', 'address-range', 'address-or-range', 'host-mask', 'plen-or-mask', 'npt-prefix', 'prefix-length', 'interface', 'protocol', 'port', 'port-range',
  'port-range-loose', 'queue-range', 'probability', 'zone', 'rate-or-bytes', 'port-list', 'nat-destination', 'port-or-range-dash', 'ctstate-list',
  'state-list', 'ctstatus-list', 'ctdir', 'tcp-flag-list', 'tcp-option-number', 'tcp-option-list', 'icmp-type', 'icmpv6-type', 'mark', 'rate',
  'integer', 'integer-range', 'hex-integer', 'string', 'hex-string', 'chain', 'target-name', 'table', 'log-level', 'reject-with', 'time', 'date',
  'weekdays', 'monthdays', 'dscp', 'dscp-class', 'tos', 'ttl', 'length-range', 'mac-address', 'set-flags', 'enum', 'enum-list', 'owner-id',
  'group-or-mark', 'connlabel', 'tc-class', 'bandwidth', 'duration', 'burst', 'led-delay', 'mh-type', 'sctp-chunk-list', 'ipv6-option-list',
  'ipv6-address-list', 'pkttype', 'addrtype-list', 'u32-tests', 'bpf-bytecode', 'ct-helper', 'helper-name', 'any',
];

export { ctEvents, expEvents };

/** An IPv4 prefix length past 32 that iptables reads as 32 (see ArgSpec.overMax); undefined for any other value. */
function clampedPrefix(value: string, family: Family): ValueProblem | undefined {
  const m = /^([^/]+)\/([1-9]\d*)$/.exec(value);
  if (family !== 'ipv4' || !m || Number(m[2]) <= 32 || Number(m[2]) > U32) return undefined;
  const host = `${m[1]}/32`;
  if (checkAddress(host, family)) return undefined;
  return warning(`/${m[2]} is past 32: iptables takes it as /32, so the rule is loaded with the one address ${m[1]}.`, host);
}

/** An integer past the field's largest value that iptables takes anyway (see ArgSpec.overMax). */
function pastMax(value: string, max: number | bigint, over: 'wraps' | 'never-matches'): ValueProblem | undefined {
  const n = parseBigNumber(value);
  if (n === undefined || n <= BigInt(max) || n > BigInt(U32)) return undefined;
  if (over === 'never-matches') return warning(`${value} is past ${max}, the largest the header field holds: iptables takes it, and the rule never matches.`);
  const kept = n % (BigInt(max) + 1n);
  return warning(`${value} is past ${max}: iptables takes it and keeps only the low ${(BigInt(max) + 1n).toString(2).length - 1} bits, so the rule is loaded with ${kept}.`);
}

/** The length match keeps a reversed range as written (iptables 1.8.9) and tests min <= length <= max: it never matches. */
function reversedLength(value: string): ValueProblem | undefined {
  const [a, b] = value.split(':');
  if (b === undefined || a === '' || b === '' || Number(a) <= Number(b)) return undefined;
  return warning(`The length range ${value} is reversed: iptables keeps it as written and it never matches. Write ${b}:${a}.`, `${b}:${a}`);
}

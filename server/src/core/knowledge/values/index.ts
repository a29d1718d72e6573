import { nearestName } from '../../analysis/nearestName.ts';
import type { ArgSpec, Family, ValueTypeName } from '../types.ts';
import { checkAddress, checkAddressList, checkAddressRange, checkInterface, checkMac, checkNatDestination } from './addresses.ts';
import { ctStates, ctStatuses, dscpClasses, icmpTypes, icmpv6Types, logLevels, rejectWith4, rejectWith6, setFlags, states, tcpFlags, tosNames, weekdays, type Named } from './enums.ts';
import { checkDate, checkInteger, checkIntegerRange, checkMark, checkMonthdays, checkRate, checkTime, parseNumber } from './numbers.ts';
import { checkDashRange, checkPort, checkPortList, checkPortRange } from './ports.ts';

export interface ValueProblem {
  message: string;
  /** A replacement that is probably meant (did-you-mean). */
  suggestion?: string;
}

export interface ValueContext {
  family: Family;
  arg?: ArgSpec;
}

function namedSet(type: ValueTypeName, ctx: ValueContext): Named | undefined {
  switch (type) {
    case 'ctstate-list': return ctStates;
    case 'state-list': return states;
    case 'ctstatus-list': return ctStatuses;
    case 'tcp-flag-list': return tcpFlags;
    case 'icmp-type': return icmpTypes;
    case 'icmpv6-type': return icmpv6Types;
    case 'log-level': return logLevels;
    case 'reject-with': return ctx.family === 'ipv6' ? rejectWith6 : rejectWith4;
    case 'dscp-class': return dscpClasses;
    case 'weekdays': return weekdays;
    case 'set-flags': return setFlags;
    case 'ctdir': return [['ORIGINAL', 'Packets in the direction of the first packet.'], ['REPLY', 'Packets in the reply direction.']];
    case 'enum':
    case 'enum-list': return ctx.arg?.values?.map((v) => [v, ''] as const);
    default: return undefined;
  }
}

/** A comma list whose items must be in a set (case-insensitive where iptables is). */
function checkList(value: string, set: Named, what: string, caseSensitive: boolean): ValueProblem | undefined {
  const names = set.map(([n]) => n);
  for (const item of value.split(',')) {
    const ok = caseSensitive ? names.includes(item) : names.some((n) => n.toLowerCase() === item.toLowerCase());
    if (ok) continue;
    const near = nearestName(item, names);
    return { message: `'${item}' is not a ${what}${near ? `; did you mean '${near}'?` : ` (one of ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''})`}.`, suggestion: near ? value.replace(item, near) : undefined };
  }
  return undefined;
}

function one(value: string, set: Named, what: string): ValueProblem | undefined {
  return value.includes(',') ? { message: `Only one ${what} can be given here.` } : checkList(value, set, what, true);
}

const wrap = (message: string | undefined): ValueProblem | undefined => (message ? { message } : undefined);

/**
 * Checks one value against its type. Returns undefined when iptables accepts it. Shell
 * expansions never reach here: the rules skip dynamic values.
 */
export function checkValue(type: ValueTypeName, value: string, ctx: ValueContext): ValueProblem | undefined {
  switch (type) {
    case 'address': return wrap(checkAddress(value, ctx.family));
    case 'address-list': return wrap(checkAddressList(value, ctx.family));
    case 'address-range': return wrap(checkAddressRange(value, ctx.family));
    case 'address-or-range':
    case 'nat-destination': return wrap(checkNatDestination(value, ctx.family));
    case 'netmask': return wrap(/^\d+$/.test(value) ? (Number(value) > (ctx.family === 'ipv4' ? 32 : 128) ? `/${value} is too long a prefix.` : undefined) : checkAddress(value, ctx.family));
    case 'prefix-length': return wrap(/^\d+$/.test(value) && Number(value) <= (ctx.family === 'ipv4' ? 32 : 128) ? undefined : `'${value}' is not a prefix length (0–${ctx.family === 'ipv4' ? 32 : 128}).`);
    case 'interface': return wrap(checkInterface(value));
    case 'port': return wrap(checkPort(value));
    case 'port-range': return wrap(checkPortRange(value));
    case 'port-range-loose': return wrap(checkPortRange(value, true));
    case 'queue-range': {
      const m = /^(\d*):(\d*)$/.exec(value);
      if (!m || value === ':') return { message: `'${value}' is not a queue range (first:last).` };
      if (Number(m[2]) > 65534) return { message: `Queue ${m[2]} is out of range: the last queue is at most 65534.` };
      return m[1] !== '' && m[2] !== '' && Number(m[1]) >= Number(m[2]) ? { message: `In ${value} the first queue must be lower than the last.` } : undefined;
    }
    case 'probability': return /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(value) ? undefined : { message: `'${value}' is not a probability between 0 and 1.` };
    case 'zone': return value === 'mark' || (/^\d+$/.test(value) && Number(value) <= 65535) ? undefined : { message: `'${value}' is not a conntrack zone (0–65535 or mark).` };
    case 'rate-or-bytes': return /^\d+(b|kb|mb)\/(s|sec|second|m|min|minute|h|hour|d|day)$/i.test(value) ? undefined : wrap(checkRate(value));
    case 'port-list': return wrap(checkPortList(value));
    case 'port-or-range-dash': return wrap(checkDashRange(value));
    case 'ctstate-list': return checkList(value, ctStates, 'connection state', false);
    case 'state-list': return checkList(value, states, 'state', false);
    case 'ctstatus-list': return checkList(value, ctStatuses, 'conntrack status', false);
    case 'ctdir': return checkList(value, namedSet('ctdir', ctx)!, 'direction', false);
    case 'tcp-flag-list': return checkList(value, tcpFlags, 'TCP flag', false);
    case 'tcp-option-number': return wrap(checkInteger(value, 255));
    case 'tcp-option-list': {
      for (const o of value.split(',')) {
        if (['mss', 'wscale', 'sack-permitted', 'sack', 'timestamp', 'md5'].includes(o)) continue;
        if (!/^\d+$/.test(o) || Number(o) > 255) return { message: `'${o}' is not a TCP option (mss, wscale, sack-permitted, sack, timestamp, md5, or 2–255).` };
        if (Number(o) < 2) return { message: `TCP option ${o} cannot be stripped: 0 and 1 are end-of-list and padding.` };
      }
      return undefined;
    }
    case 'icmp-type':
      if (/^\d+(\/\d+(:\d+)?)?$/.test(value)) return value.split(/[/:]/).some((n) => Number(n) > 255) ? { message: `${value}: ICMP types and codes are 0–255.` } : undefined;
      return one(value, icmpTypes, 'ICMP type');
    case 'icmpv6-type':
      if (/^\d+(\/\d+)?$/.test(value)) return value.split('/').some((n) => Number(n) > 255) ? { message: `${value}: ICMPv6 types and codes are 0–255.` } : undefined;
      return one(value, icmpv6Types, 'ICMPv6 type');
    case 'mark': return wrap(checkMark(value));
    case 'rate': return wrap(checkRate(value));
    case 'integer': {
      const e = checkInteger(value, ctx.arg?.max);
      if (e) return { message: e };
      const n = parseNumber(value)!;
      return ctx.arg?.min !== undefined && n < ctx.arg.min ? { message: `${value} is out of range (at least ${ctx.arg.min}).` } : undefined;
    }
    case 'integer-range': return wrap(checkIntegerRange(value, ctx.arg?.max, ctx.arg?.ordered));
    case 'hex-integer': return wrap(checkInteger(value));
    case 'log-level': return /^[0-7]$/.test(value) ? undefined : one(value, logLevels, 'log level');
    case 'reject-with': return one(value, ctx.family === 'ipv6' ? rejectWith6 : rejectWith4, `reject type for ${ctx.family === 'ipv6' ? 'ip6tables' : 'iptables'}`);
    case 'time': return wrap(checkTime(value));
    case 'date': return wrap(checkDate(value));
    case 'weekdays': {
      for (const d of value.split(',')) if (!/^[1-7]$/.test(d) && !weekdays.some(([n]) => n.toLowerCase().startsWith(d.toLowerCase()) && d.length >= 2)) return { message: `'${d}' is not a weekday (Mon…Sun or 1…7).` };
      return undefined;
    }
    case 'monthdays': return wrap(checkMonthdays(value));
    case 'dscp': {
      const n = parseNumber(value);
      return n === undefined || n > 63 ? { message: `'${value}' is not a DSCP value (0–63).` } : undefined;
    }
    case 'dscp-class': return one(value, dscpClasses, 'DSCP class');
    case 'tos': {
      if (tosNames.some(([n]) => n.toLowerCase() === value.toLowerCase())) return undefined;
      const [v, m] = value.split('/');
      const bad = [v, m].filter((x) => x !== undefined).find((x) => parseNumber(x) === undefined || parseNumber(x)! > 255);
      return bad !== undefined ? { message: `'${value}' is not a TOS value (0–255[/mask]) or name (${tosNames.map(([n]) => n).join(', ')}).` } : undefined;
    }
    case 'ttl': {
      const e = checkInteger(value, 255);
      if (e) return { message: e };
      return ctx.arg?.min !== undefined && parseNumber(value)! < ctx.arg.min ? { message: `${value} is out of range (${ctx.arg.min}–255).` } : undefined;
    }
    case 'length-range': return wrap(checkIntegerRange(value, 65535));
    case 'mac-address': return wrap(checkMac(value));
    case 'set-flags': return checkList(value, setFlags, 'ipset flag (src or dst)', true);
    case 'enum': {
      const set = namedSet('enum', ctx);
      return set ? one(value, set, 'value here') : undefined;
    }
    case 'enum-list': {
      const set = namedSet('enum-list', ctx);
      return set ? checkList(value, set, 'value here', false) : undefined;
    }
    case 'string': return ctx.arg?.max !== undefined && value.length > ctx.arg.max ? { message: `The text is ${value.length} characters long; at most ${ctx.arg.max}.` } : undefined;
    case 'hex-string': return (value.split('|').length - 1) % 2 === 1 ? { message: 'Unbalanced | in the hex string: hex bytes go between a pair of pipes.' } : undefined;
    case 'protocol': return undefined;
    default: return undefined;
  }
}

/** Values for completion, for the types that have a closed set. */
export function valueCompletions(type: ValueTypeName, ctx: ValueContext): { label: string; detail: string }[] {
  const set = namedSet(type, ctx);
  return set ? set.map(([label, detail]) => ({ label, detail })) : [];
}

import { checkEnumList, type Named } from './enums.ts';
import { checkInteger } from './integers.ts';
import { error, type ValueProblem } from './problem.ts';

/** Connection tracking states, statuses, directions and events. */

export const ctStates: Named = [
  ['NEW', 'The first packet of a connection, or one of a connection not yet seen both ways.'],
  ['ESTABLISHED', 'A packet of a connection that has seen traffic in both directions.'],
  ['RELATED', 'Opens a new connection tied to an existing one: FTP data, an ICMP error.'],
  ['INVALID', 'Belongs to no known connection; usually dropped, never rejected.'],
  ['UNTRACKED', 'Exempted from tracking in the raw table (CT --notrack).'],
  ['SNAT', 'Virtual state: the connection\'s source was translated.'],
  ['DNAT', 'Virtual state: the connection\'s destination was translated.'],
];

/** The state match knows the first five only. */
export const states: Named = ctStates.filter(([s]) => s !== 'SNAT' && s !== 'DNAT');

export const ctStatuses: Named = [
  ['NONE', 'None of the other flags.'],
  ['EXPECTED', 'Set up from an expectation of a conntrack helper.'],
  ['SEEN_REPLY', 'Packets have been seen in both directions.'],
  ['ASSURED', 'Will not be dropped early when the table fills up.'],
  ['CONFIRMED', 'The first packet has left the host and the entry is in the table.'],
];

export const ctDirections: Named = [
  ['ORIGINAL', 'Packets flowing the way the first packet did.'],
  ['REPLY', 'Packets flowing back.'],
];

export const ctEvents: Named = [
  ['new', 'A connection is created.'],
  ['related', 'A related connection is created.'],
  ['destroy', 'A connection is removed.'],
  ['reply', 'A reply is seen.'],
  ['assured', 'The connection becomes assured.'],
  ['protoinfo', 'Protocol state changes (TCP states).'],
  ['helper', 'A helper is assigned.'],
  ['mark', 'The connection mark changes.'],
  ['natseqinfo', 'NAT sequence adjustment changes.'],
  ['secmark', 'The connection security mark changes.'],
];

export const expEvents: Named = [['new', 'An expectation is created.']];

export function checkCtStates(value: string): ValueProblem | undefined {
  return checkEnumList(value, ctStates, 'connection state', { ignoreCase: true });
}

export function checkStates(value: string): ValueProblem | undefined {
  const p = checkEnumList(value, states, 'state of -m state', { ignoreCase: true });
  if (p && /\b(SNAT|DNAT)\b/i.test(value)) return error('-m state does not know SNAT and DNAT: use -m conntrack --ctstate for them.');
  return p;
}

/** A conntrack zone: 0–65535, or `mark` to derive it from the packet mark. */
export function checkZone(value: string): ValueProblem | undefined {
  if (value === 'mark') return undefined;
  const e = checkInteger(value, 0, 65535);
  return e ? error(`'${value}' is not a conntrack zone: a number 0–65535, or 'mark'.`) : undefined;
}

import type { PacketFields } from '../core/services/packetFields.ts';
import type { PacketSpecError } from '../core/simulate/packet.ts';
import type { TraceReport } from '../core/simulate/traceReport.ts';

/**
 * The trace requests between the VS Code client and the language server. Types only: the
 * client imports them (erased at build time) so both sides agree on the shapes.
 */

export interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * Where a rule is: spread into each step and condition of the report. A rule of the document
 * has its range and line; one the trace met in another file (ufw's user.rules beside the
 * before.rules traced) has that file and its line; one ufw writes itself, neither.
 */
export interface RuleLocation {
  range?: LspRange;
  /** 1-based line, as people read it. */
  line?: number;
  /** Another file's path, where the rule is there. */
  file?: string;
}

export const TRACE_REQUEST = 'iptables/trace';
export interface TraceParams {
  uri: string;
  packet: string;
}
export type TraceResult = ({ uri: string } & TraceReport<RuleLocation>) | { packetError: PacketSpecError } | { documentError: string };

export const PACKET_FIELDS_REQUEST = 'iptables/packetFields';
export interface PacketFieldsParams {
  uri: string;
}
export type PacketFieldsResult = PacketFields;

/** Checks a SPEC as it is typed; the same parser as the trace. */
export const CHECK_PACKET_REQUEST = 'iptables/checkPacket';
export interface CheckPacketParams {
  packet: string;
}
export type CheckPacketResult = { ok: true; packet: string } | { ok: false; packetError: PacketSpecError };

/** The code lens "Trace from here" runs this client command with `[uri, spec]`. */
export const TRACE_COMMAND = 'iptables.tracePacket';

import { fileURLToPath } from 'node:url';
import type { Connection } from 'vscode-languageserver';
import { FirewallDocument } from '../core/facade.ts';
import { packetFields } from '../core/services/packetFields.ts';
import { packetToSpec, parsePacketSpec, traceFamily } from '../core/simulate/packet.ts';
import { traceReport } from '../core/simulate/traceReport.ts';
import { readTextFile } from '../node/readTextFile.ts';
import { readSourced } from '../node/sourcedFiles.ts';
import { hostSysctl } from '../node/sysctlFiles.ts';
import { traceSets } from '../node/ipsetFiles.ts';
import { ufwLoadOf } from '../node/ufwFiles.ts';
import { traceSource, whyNotTraced } from '../core/services/traceSource.ts';
import { heapRoomFor } from '../node/heapRoom.ts';
import { toRange } from './convert.ts';
import type { DocumentStore } from './documentStore.ts';
import {
  CHECK_PACKET_REQUEST,
  PACKET_FIELDS_REQUEST,
  TRACE_REQUEST,
  type CheckPacketParams,
  type CheckPacketResult,
  type PacketFieldsParams,
  type PacketFieldsResult,
  type RuleLocation,
  type TraceParams,
  type TraceResult,
} from './traceProtocol.ts';

/**
 * Packet tracing for editors: the trace itself, the values a packet SPEC can take in a
 * document, and a check of a SPEC as it is typed. The core computes; this layer finds the
 * document and turns offsets into ranges.
 */
export function registerTrace(connection: Connection, store: DocumentStore): void {
  /** A document to trace, or why it cannot be (see whyNotTraced). */
  const modelled = (doc: FirewallDocument): FirewallDocument | string => whyNotTraced(doc) ?? doc;

  /** An open document, or a file the client has not opened (a command run with a uri) read from disk. */
  function documentFor(uri: string): FirewallDocument | string {
    const open = store.get(uri);
    if (open) return modelled(open.model);
    if (!uri.startsWith('file:')) return 'The document is not open.';
    const path = fileURLToPath(uri);
    const read = readTextFile(path);
    if (!read.ok) return read.reason;
    const doc = new FirewallDocument(read.text, { fileName: path, memoryRoom: heapRoomFor(read.text.length) });
    // a script's configuration read with `.`, as lint reads it
    readSourced(doc, path);
    return modelled(doc);
  }

  connection.onRequest<TraceResult, void>(TRACE_REQUEST, (p: TraceParams): TraceResult => {
    const doc = documentFor(p.uri);
    const parsed = parsePacketSpec(p.packet ?? '', typeof doc === 'string' ? 'ipv4' : traceFamily(doc));
    if (!parsed.packet) return { packetError: { error: parsed.error, key: parsed.key, start: parsed.start, end: parsed.end } };
    if (typeof doc === 'string') return { documentError: doc };
    const lines = doc.lines;
    // a save file's host: the sysctl files kept around it, as its diagnostics read them
    const onDisk = p.uri.startsWith('file:') ? fileURLToPath(p.uri) : undefined;
    const host = doc.dialect === 'save' && onDisk ? hostSysctl(onDisk) : undefined;
    // and the ipsets restored before it at boot (a script: those it fills), whose members decide its set matches
    const sets = traceSets(doc, onDisk);
    // a ufw rules file: the tables as ufw loads them, as its findings last read them (a file not open: read around it now)
    const src = traceSource(doc, doc.ufwLoad ?? (doc.dialect === 'save' && onDisk ? ufwLoadOf(doc, onDisk) : undefined));
    const locate = (span: { start: number; end: number }): RuleLocation => {
      const at = src.place(span);
      return 'own' in at ? { range: toRange(lines, at.own), line: lines.lineOf(at.own.start) + 1 } : at;
    };
    return { uri: p.uri, ...traceReport(src.ruleSet, src.text, sets ? { ...parsed.packet, sets } : parsed.packet, locate, host) };
  });

  connection.onRequest<PacketFieldsResult, void>(PACKET_FIELDS_REQUEST, (p: PacketFieldsParams): PacketFieldsResult => {
    const doc = documentFor(p.uri);
    return packetFields(typeof doc === 'string' ? new FirewallDocument('').ruleSet : doc.ruleSet);
  });

  connection.onRequest<CheckPacketResult, void>(CHECK_PACKET_REQUEST, (p: CheckPacketParams): CheckPacketResult => {
    const parsed = parsePacketSpec(p.packet ?? '');
    if (!parsed.packet) return { ok: false, packetError: { error: parsed.error, key: parsed.key, start: parsed.start, end: parsed.end } };
    return { ok: true, packet: packetToSpec(parsed.packet) };
  });
}

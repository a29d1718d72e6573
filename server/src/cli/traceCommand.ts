import { FirewallDocument } from '../core/facade.ts';
import { parsePacketSpec, traceFamily } from '../core/simulate/packet.ts';
import { traceReport } from '../core/simulate/traceReport.ts';
import { readTextFile } from '../node/readTextFile.ts';
import { readSourced } from '../node/sourcedFiles.ts';
import { hostSysctl } from '../node/sysctlFiles.ts';
import { traceSets } from '../node/ipsetFiles.ts';
import { ufwLoadOf } from '../node/ufwFiles.ts';
import { traceSource, whyNotTraced } from '../core/services/traceSource.ts';
import { heapRoomFor } from '../node/heapRoom.ts';
import { resolve } from 'node:path';
import type { CliIO } from './io.ts';

const USAGE = 'usage: iptables-lint trace FILE --packet "in=eth0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1" [--format json]\n';

/** `iptables-lint trace FILE --packet SPEC`: what the rule set does to one packet, offline. */
export function traceCommand(args: string[], io: CliIO): number {
  let file: string | undefined;
  let spec: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--packet') spec = args[++i];
    else if (a.startsWith('--packet=')) spec = a.slice(9);
    else if (a === '--format') json = args[++i] === 'json';
    else if (a === '--format=json') json = true;
    else if (!file && !a.startsWith('-')) file = a;
    else {
      io.stderr(`iptables-lint: unexpected argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (!file || !spec) {
    io.stderr(USAGE);
    return 2;
  }
  const read = readTextFile(file);
  if (!read.ok) {
    io.stderr(`iptables-lint: ${read.reason}\n`);
    return 2;
  }
  const doc = new FirewallDocument(read.text, { fileName: file, memoryRoom: heapRoomFor(read.text.length) });
  // binary, too large, or no room for its model: nothing to follow a packet through
  const untraced = whyNotTraced(doc);
  if (untraced) {
    io.stderr(`iptables-lint: ${file}: ${untraced}\n`);
    return 2;
  }
  // a script's configuration read with `.`, as lint reads it
  readSourced(doc, resolve(file));
  // a packet without family or address is one of the file's family (rules.v6: IPv6)
  const parsed = parsePacketSpec(spec, traceFamily(doc));
  if (!parsed.packet) {
    io.stderr(`iptables-lint: bad --packet: ${parsed.error}\n`);
    return 2;
  }
  // a ufw rules file: the tables as ufw loads them with the files around it, as lint reads them
  const src = traceSource(doc, doc.dialect === 'save' ? ufwLoadOf(doc, resolve(file)) : undefined);
  const line = (span: { start: number; end: number }): { line?: number; file?: string } => {
    const at = src.place(span);
    return 'own' in at ? { line: doc.lines.lineOf(at.own.start) + 1 } : at;
  };
  // a save file's host: the sysctl files kept around it, as lint reads them
  // and the ipsets restored before it at boot (a script: those it fills), whose members decide its set matches
  const sets = traceSets(doc, resolve(file));
  const report = traceReport(src.ruleSet, src.text, sets ? { ...parsed.packet, sets } : parsed.packet, line, doc.dialect === 'save' ? hostSysctl(resolve(file)) : undefined);
  const branches = report.branches;
  if (json) {
    const strip = (b: (typeof branches)[number]) => ({ verdict: b.verdict, hooks: b.hooks, path: b.path, rewrites: b.rewrites, conditions: b.conditions.map(({ line: l, file: f, assumed }) => ({ line: l, ...(f ? { file: f } : {}), assumed })), routing: b.routing });
    io.stdout(JSON.stringify({ file, verdict: report.verdict, packet: report.packet, path: branches[0].path, rewrites: branches[0].rewrites, routing: branches[0].routing, branches: branches.length > 1 ? branches.map(strip) : undefined }, null, 2) + '\n');
    return 0;
  }
  let out = '';
  branches.forEach((b, i) => {
    // a rule of the file by its line, of another file by that file's name and line, of ufw's own by its text alone
    const place = (l: { line?: number; file?: string }) => (l.line === undefined ? "ufw's own" : l.file ? `${l.file}:${l.line}` : `line ${l.line}`);
    if (branches.length > 1) out += `branch ${i + 1} of ${branches.length}${b.conditions.length ? ` (if ${b.conditions.map((c) => `${place(c)} ${c.assumed}`).join(', ')})` : ''}:\n`;
    for (const s of b.path) {
      const where = s.line === undefined ? "(ufw's own rule)" : `${s.file ?? file}:${s.line}:`;
      const what = s.rule ? `${where} ${s.rule}${s.kind === 'untrack' ? ' (untracked from here on: no nat)' : ''}` : s.policy ? `policy ${s.policy}` : 'no rule decides';
      out += `  ${s.table}/${s.chain}: ${what}\n`;
    }
    if (b.rewrites.destination) out += `  destination rewritten to ${b.rewrites.destination}\n`;
    if (b.rewrites.source) out += `  source rewritten to ${b.rewrites.source}\n`;
    if (b.routing) out += `  ${b.routing}\n`;
    out += `  verdict: ${b.verdict}\n`;
  });
  out += `verdict: ${report.verdict}\n`;
  io.stdout(out);
  return 0;
}

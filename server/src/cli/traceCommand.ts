import { FirewallDocument } from '../core/facade.ts';
import { tracePacket, type Outcome } from '../core/simulate/evaluate.ts';
import { parsePacketSpec } from '../core/simulate/packet.ts';
import { readTextFile } from '../node/readTextFile.ts';
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
  const parsed = parsePacketSpec(spec);
  if (!parsed.packet) {
    io.stderr(`iptables-lint: bad --packet: ${parsed.error}\n`);
    return 2;
  }
  const read = readTextFile(file);
  if (!read.ok) {
    io.stderr(`iptables-lint: ${read.reason}\n`);
    return 2;
  }
  const doc = new FirewallDocument(read.text, { fileName: file });
  const outcomes = tracePacket(doc.ruleSet, parsed.packet);
  const line = (o: { span: { start: number } }) => doc.lines.lineOf(o.span.start) + 1;
  const describe = (o: Outcome) => ({
    verdict: o.verdict,
    path: o.path.map((s) => ({ table: s.table, chain: s.chain, line: s.rule ? line(s.rule) : undefined, rule: s.rule ? read.text.slice(s.rule.span.start, s.rule.span.end) : undefined, policy: s.policy })),
    rewrites: o.rewrites,
    conditions: o.assumptions.map((a) => ({ line: line(a.rule), assumed: a.matched ? 'matches' : 'does not match' })),
  });
  const verdicts = [...new Set(outcomes.map((o) => o.verdict))];
  const verdict = verdicts.length === 1 ? verdicts[0] : 'UNCERTAIN';
  if (json) {
    const first = describe(outcomes[0]);
    io.stdout(JSON.stringify({ file, verdict, path: first.path, rewrites: first.rewrites, branches: outcomes.length > 1 ? outcomes.map(describe) : undefined }, null, 2) + '\n');
    return 0;
  }
  let out = '';
  outcomes.forEach((o, i) => {
    if (outcomes.length > 1) out += `branch ${i + 1} of ${outcomes.length}${o.assumptions.length ? ` (if ${o.assumptions.map((a) => `line ${line(a.rule)} ${a.matched ? 'matches' : 'does not match'}`).join(', ')})` : ''}:\n`;
    for (const s of o.path) {
      const what = s.rule ? `${file}:${line(s.rule)}: ${read.text.slice(s.rule.span.start, s.rule.span.end)}` : s.policy ? `policy ${s.policy}` : 'no rule decides';
      out += `  ${s.table}/${s.chain}: ${what}\n`;
    }
    if (o.rewrites.destination) out += `  destination rewritten to ${o.rewrites.destination}\n`;
    if (o.rewrites.source) out += `  source rewritten to ${o.rewrites.source}\n`;
    out += `  verdict: ${o.verdict}\n`;
  });
  out += `verdict: ${verdict}\n`;
  io.stdout(out);
  return 0;
}

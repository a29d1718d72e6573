import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { sharedServer } from '../support/lspClient.ts';
import { needBuild, repoRoot } from '../support/paths.ts';
import type { CheckPacketResult, PacketFieldsResult, TraceResult } from '../../server/src/lsp/traceProtocol.ts';

/** Packet tracing through the built language server over stdio: the request, the fields, the check, the lens. */
const skip = needBuild();

const example = `${repoRoot}/examples/port-forward-router.sh`;
const exampleUri = pathToFileURL(example).href;
const exampleText = readFileSync(example, 'utf8');
const lineOf = (needle: string) => exampleText.split('\n').findIndex((l) => l.includes(needle));

const client = sharedServer(skip, async (c) => {
  await c.start();
  await c.open(exampleUri, 'shellscript', exampleText);
});

type Traced = Extract<TraceResult, { branches: unknown }>;

test('iptables/trace answers the path with a range per deciding rule, rewrites and verdict', { skip }, async () => {
  const r = (await client().request<TraceResult>('iptables/trace', { uri: exampleUri, packet: 'in=wan0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1' })) as Traced;
  assert.equal(r.verdict, 'DROP');
  assert.equal(r.uri, exampleUri);
  const b = r.branches[0];
  assert.deepEqual(b.rewrites, { destination: '192.168.50.10:8080' });
  assert.deepEqual(b.hooks, ['PREROUTING', 'FORWARD']);
  const dnat = b.path[0];
  const dnatLine = lineOf('-j DNAT');
  assert.deepEqual([dnat.table, dnat.chain, dnat.kind], ['nat', 'PREROUTING', 'nat']);
  assert.deepEqual(dnat.range, { start: { line: dnatLine, character: 0 }, end: { line: dnatLine, character: exampleText.split('\n')[dnatLine].length } });
  assert.equal(dnat.line, dnatLine + 1);
  assert.deepEqual([b.path[1].chain, b.path[1].policy, b.path[1].range], ['FORWARD', 'DROP', undefined]);
});

test('iptables/trace refuses a bad packet with the key and its place in the SPEC', { skip }, async () => {
  const spec = 'in=wan0 dport=eighty';
  const r = (await client().request<TraceResult>('iptables/trace', { uri: exampleUri, packet: spec })) as Extract<TraceResult, { packetError: unknown }>;
  assert.equal(r.packetError.key, 'dport');
  assert.equal(spec.slice(r.packetError.start, r.packetError.end), 'dport=eighty');
  const check = await client().request<CheckPacketResult>('iptables/checkPacket', { packet: 'proto=tcp colour=blue' });
  assert.deepEqual(check.ok ? undefined : [check.packetError.key, check.packetError.start, check.packetError.end], ['colour', 10, 21]);
  const good = await client().request<CheckPacketResult>('iptables/checkPacket', { packet: 'dport=80   proto=TCP' });
  assert.deepEqual(good, { ok: true, packet: 'proto=tcp dport=80 state=NEW' });
});

test('iptables/trace reads a file the client has not opened', { skip }, async () => {
  const rules = pathToFileURL(`${repoRoot}/examples/rules.v4`).href;
  const r = await client().request<TraceResult>('iptables/trace', { uri: rules, packet: 'in=lo proto=tcp dport=22' });
  assert.ok('branches' in r && r.branches.length > 0);
  const missing = await client().request<TraceResult>('iptables/trace', { uri: 'file:///nonexistent/rules.v4', packet: 'proto=tcp' });
  assert.ok('documentError' in missing);
});

test('iptables/packetFields offers the interfaces, addresses and ports of the document', { skip }, async () => {
  const f = await client().request<PacketFieldsResult>('iptables/packetFields', { uri: exampleUri });
  assert.ok(f.keys.some((k) => k.key === 'dport'));
  assert.deepEqual(f.values.in.sort(), ['lan0', 'lo', 'wan0']);
  assert.ok(f.values.dst.includes('192.168.50.10'));
  assert.ok(f.values.dport.includes('80') && f.values.dport.includes('8080'));
});

test('the "Trace from here" lens sits on the DNAT command and runs iptables.tracePacket with its packet', { skip }, async () => {
  type Lens = { range: { start: { line: number }; end: { line: number } }; command?: { command: string; arguments?: unknown[] } };
  const placed = await client().request<Lens[]>('textDocument/codeLens', { textDocument: { uri: exampleUri } });
  // what a lens does is given when the editor resolves it (when it is on screen)
  const lenses = await Promise.all(placed.map((l) => client().request<Lens>('codeLens/resolve', l)));
  const trace = lenses.filter((l) => l.command?.command === 'iptables.tracePacket');
  assert.deepEqual(trace.map((l) => [l.range.start.line, l.range.end.line]), [[lineOf('-j DNAT'), lineOf('-j DNAT')]]);
  const [uri, spec] = trace[0].command!.arguments as [string, string];
  assert.equal(uri, exampleUri);
  assert.equal(spec, 'in=wan0 proto=tcp dport=80 state=NEW');
  const r = (await client().request<TraceResult>('iptables/trace', { uri, packet: spec })) as Traced;
  assert.equal(r.branches[0].path[0].range?.start.line, lineOf('-j DNAT'));
});

test("iptables/trace of a save file reads the workspace's sysctl files around it, as its diagnostics do", { skip }, async () => {
  // five folders deep in a folder of its own: the search (the file's folder and four above) stays in it
  const folder = join(mkdtempSync(join(tmpdir(), 'iptables-trace-lsp-')), 'a', 'b', 'c', 'router');
  mkdirSync(join(folder, 'sysctl.d'), { recursive: true });
  writeFileSync(join(folder, 'sysctl.d', '10-router.conf'), 'net.ipv4.ip_forward=0\n');
  const file = join(folder, 'rules.v4');
  writeFileSync(file, '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\nCOMMIT\n');
  const r = (await client().request<TraceResult>('iptables/trace', { uri: pathToFileURL(file).href, packet: 'in=eth0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1' })) as Traced;
  assert.equal(r.verdict, 'DROP');
  assert.deepEqual(r.branches[0].hooks, ['PREROUTING']);
  assert.match(r.branches[0].routing!, /10-router\.conf.*net\.ipv4\.ip_forward=0/);
});

test('iptables/trace of a save file decides its set matches by the ipsets file restored before it at boot', { skip }, async () => {
  const folder = join(mkdtempSync(join(tmpdir(), 'iptables-trace-lsp-')), 'a', 'b', 'c', 'iptables');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'rules.v4');
  writeFileSync(file, '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -m set --match-set admins src -j ACCEPT\nCOMMIT\n');
  writeFileSync(join(folder, 'ipsets'), 'create admins hash:ip family inet hashsize 1024 maxelem 65536\nadd admins 198.51.100.7\n');
  const verdict = async (src: string) => ((await client().request<TraceResult>('iptables/trace', { uri: pathToFileURL(file).href, packet: `proto=tcp src=${src} dst=10.0.0.1 dport=22 local=10.0.0.1` })) as Traced).verdict;
  assert.equal(await verdict('198.51.100.7'), 'ACCEPT');
  assert.equal(await verdict('198.51.100.8'), 'DROP');
});

test('iptables/trace in ufw\'s before.rules follows the packet through the tables as ufw loads them: a user.rules rule by its file and line, ufw\'s own rules without a place', { skip }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lsp-ufw-trace-'));
  mkdirSync(join(root, 'etc', 'ufw'), { recursive: true });
  mkdirSync(join(root, 'etc', 'default'));
  writeFileSync(join(root, 'etc', 'default', 'ufw'), 'DEFAULT_FORWARD_POLICY="DROP"\n');
  const user = join(root, 'etc', 'ufw', 'user.rules');
  writeFileSync(user, '*filter\n:ufw-user-forward - [0:0]\n-A ufw-user-forward -p tcp -d 10.0.0.2 --dport 80 -j ACCEPT\nCOMMIT\n');
  const text = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80\nCOMMIT\n';
  const path = join(root, 'etc', 'ufw', 'before.rules');
  writeFileSync(path, text);
  // not open in the editor: read around it on disk
  const r = (await client().request<TraceResult>('iptables/trace', { uri: pathToFileURL(path).href, packet: 'in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1' })) as Traced;
  assert.equal(r.verdict, 'ACCEPT');
  const steps = r.branches[0].path;
  assert.deepEqual([steps[0].chain, steps[0].line, steps[0].file], ['PREROUTING', 3, undefined]);
  const jump = steps.find((s) => s.chain === 'FORWARD' && s.rule)!;
  assert.deepEqual([jump.line, jump.range, jump.file], [undefined, undefined, undefined]);
  const accepted = steps.find((s) => s.chain === 'ufw-user-forward')!;
  assert.deepEqual([accepted.kind, accepted.file, accepted.line, accepted.range], ['verdict', user, 3, undefined]);
});

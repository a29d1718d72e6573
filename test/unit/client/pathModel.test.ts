import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { pathModel, traceSummary, type PathModel, type Traced } from '../../../client/src/trace/pathModel.ts';
import { rememberPacket } from '../../../client/src/trace/recentPackets.ts';
import { specCompletions } from '../../../client/src/trace/specCompletion.ts';
import { traceHtml } from '../../../client/src/trace/traceHtml.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { packetFields } from '../../../server/src/core/services/packetFields.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';
import { traceReport } from '../../../server/src/core/simulate/traceReport.ts';
import { traceSource } from '../../../server/src/core/services/traceSource.ts';
import { ufwLoad } from '../../../server/src/core/model/ufwLoad.ts';
import { repoRoot } from '../../support/paths.ts';

/** The trace view's data, from real traces computed by the core as the server answers them. */
const rules = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080
-A POSTROUTING -o eth0 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp --dport 22 -j ACCEPT
-A FORWARD -i eth0 -o eth1 -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT
-A OUTPUT -p tcp --dport 25 -j REJECT
COMMIT
`;

function traced(text: string, spec: string, dialect: 'save' | 'script' = 'save'): Traced {
  const doc = new FirewallDocument(text, { dialect });
  const lines = doc.lines;
  const r = traceReport(doc.ruleSet, text, parsePacketSpec(spec).packet!, (s) => ({ range: { start: lines.positionAt(s.start), end: lines.positionAt(s.end) }, line: lines.lineOf(s.start) + 1 }));
  return { uri: 'file:///fw.rules', ...r };
}

const node = (m: PathModel, b: number, id: string) => m.branches[b].nodes.find((n) => n.id === id)!;
const states = (m: PathModel, b = 0) => Object.fromEntries(m.branches[b].nodes.map((n) => [n.id, n.state]));
const taken = (m: PathModel, b = 0) => m.branches[b].edges.filter((e) => e.taken).map((e) => `${e.from}>${e.to}`);

test('a forwarded connection: PREROUTING → routing → FORWARD → POSTROUTING → out, INPUT not taken', () => {
  const m = pathModel(traced(rules, 'in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1'));
  assert.equal(m.verdict, 'ACCEPT');
  assert.equal(m.certain, true);
  assert.deepEqual(states(m), { WIRE_IN: 'passed', PREROUTING: 'passed', ROUTING: 'passed', INPUT: 'skipped', LOCAL_IN: 'skipped', FORWARD: 'passed', POSTROUTING: 'passed', WIRE_OUT: 'passed' });
  assert.deepEqual(taken(m), ['WIRE_IN>PREROUTING', 'PREROUTING>ROUTING', 'ROUTING>FORWARD', 'FORWARD>POSTROUTING', 'POSTROUTING>WIRE_OUT']);
  assert.equal(m.branches[0].endsAt, 'WIRE_OUT');
  const dnat = node(m, 0, 'PREROUTING').steps[0];
  assert.deepEqual([dnat.label, dnat.line, dnat.kind, dnat.target, dnat.rewrite], ['nat/PREROUTING', 5, 'nat', 'DNAT', 'destination → 192.168.1.100:8080']);
  assert.deepEqual(dnat.range, { start: { line: 4, character: 0 }, end: { line: 4, character: rules.split('\n')[4].length } });
  assert.deepEqual(node(m, 0, 'FORWARD').steps.map((s) => s.line), [14]);
  assert.deepEqual(m.branches[0].rewrites, ['destination → 192.168.1.100:8080']);
  assert.deepEqual(m.highlights.map((h) => h.line), [5, 14]);
});

test('dropped at the INPUT policy: the verdict node is INPUT, nothing after it reached, FORWARD not taken', () => {
  const m = pathModel(traced(rules, 'in=eth0 proto=udp dst=203.0.113.1 dport=53 local=203.0.113.1'));
  assert.equal(m.verdict, 'DROP');
  assert.equal(m.branches[0].endsAt, 'INPUT');
  assert.deepEqual(states(m), { WIRE_IN: 'passed', PREROUTING: 'passed', ROUTING: 'passed', INPUT: 'decided', LOCAL_IN: 'unreached', FORWARD: 'skipped', POSTROUTING: 'skipped', WIRE_OUT: 'skipped' });
  assert.deepEqual(taken(m), ['WIRE_IN>PREROUTING', 'PREROUTING>ROUTING', 'ROUTING>INPUT']);
  const last = node(m, 0, 'INPUT').steps.at(-1)!;
  assert.deepEqual([last.kind, last.detail, last.range], ['policy', 'policy DROP', undefined]);
  assert.match(node(m, 0, 'ROUTING').note!, /INPUT/);
});

test("the host's own packet: routing → OUTPUT, rejected there", () => {
  const m = pathModel(traced(rules, 'origin=local out=eth0 proto=tcp dst=198.51.100.1 dport=25'));
  assert.equal(m.origin, 'local');
  assert.deepEqual(m.branches[0].nodes.map((n) => n.id), ['LOCAL_OUT', 'ROUTING', 'OUTPUT', 'POSTROUTING', 'WIRE_OUT']);
  assert.deepEqual(states(m), { LOCAL_OUT: 'passed', ROUTING: 'passed', OUTPUT: 'decided', POSTROUTING: 'unreached', WIRE_OUT: 'unreached' });
  assert.equal(node(m, 0, 'OUTPUT').steps.at(-1)!.line, 15);
});

test('uncertain traces: one diagram per branch, each with the conditions it assumes; highlights list their branches', () => {
  const m = pathModel(traced(rules, 'proto=tcp dport=80 local=203.0.113.1'));
  assert.equal(m.certain, false);
  assert.ok(m.branches.length > 1);
  const withDnat = m.branches.findIndex((b) => b.conditions.some((c) => c.line === 5 && c.matched));
  const withoutDnat = m.branches.findIndex((b) => b.conditions.some((c) => c.line === 5 && !c.matched));
  assert.ok(withDnat >= 0 && withoutDnat >= 0);
  assert.equal(m.branches[withDnat].conditions.find((c) => c.line === 5)!.range?.start.line, 4);
  const h = m.highlights.find((x) => x.line === 5)!;
  assert.ok(h.branches.includes(withDnat + 1) && !h.branches.includes(withoutDnat + 1));
  const s = traceSummary(traced(rules, 'proto=tcp dport=80 local=203.0.113.1'));
  assert.equal(s.verdict, 'UNCERTAIN');
  assert.equal(s.branches, m.branches.length);
});

test('dropped in PREROUTING: no routing decision, nothing after', () => {
  const m = pathModel(traced('*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p udp -j DROP\nCOMMIT\n', 'proto=udp dst=10.0.0.1 dport=53'));
  assert.deepEqual(states(m), { WIRE_IN: 'passed', PREROUTING: 'decided', ROUTING: 'unreached', INPUT: 'unreached', LOCAL_IN: 'unreached', FORWARD: 'unreached', POSTROUTING: 'unreached', WIRE_OUT: 'unreached' });
});

test('a DNAT to ::1 from another host: the routing decision drops it, and says why', () => {
  const text = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination [::1]:8080\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save', family: 'ipv6' });
  const lines = doc.lines;
  const r = traceReport(doc.ruleSet, text, parsePacketSpec('family=ipv6 in=eth0 proto=tcp dst=2001:db8::1 dport=80').packet!, (sp) => ({ range: { start: lines.positionAt(sp.start), end: lines.positionAt(sp.end) }, line: lines.lineOf(sp.start) + 1 }));
  const m = pathModel({ uri: 'file:///fw.rules', ...r });
  assert.equal(m.verdict, 'DROP');
  assert.equal(m.branches[0].endsAt, 'ROUTING');
  assert.deepEqual(states(m), { WIRE_IN: 'passed', PREROUTING: 'passed', ROUTING: 'decided', INPUT: 'unreached', LOCAL_IN: 'unreached', FORWARD: 'unreached', POSTROUTING: 'unreached', WIRE_OUT: 'unreached' });
  assert.match(m.branches[0].nodes.find((n) => n.id === 'ROUTING')!.note!, /routing drops it/);
});

test('the summary the command returns: verdict and the first branch steps with lines', () => {
  const text = readFileSync(`${repoRoot}/examples/port-forward-router.sh`, 'utf8');
  const s = traceSummary(traced(text, 'in=wan0 proto=tcp dport=80 state=NEW', 'script'));
  assert.equal(s.verdict, 'DROP');
  assert.deepEqual(s.steps.map((x) => [x.hook, x.table, x.chain, x.line ?? x.policy]), [
    ['PREROUTING', 'nat', 'PREROUTING', 27],
    ['FORWARD', 'filter', 'FORWARD', 'DROP'],
  ]);
});

test('the page: strict CSP with a nonce, nothing remote, no inline style attributes, each deciding rule clickable', () => {
  const m = pathModel(traced(rules, 'proto=tcp dport=80 local=203.0.113.1'));
  const html = traceHtml(m, { nonce: 'TESTNONCE123', cspSource: 'https://webview.test' });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-TESTNONCE123'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((x) => x[1]);
  assert.deepEqual(scripts, [' nonce="TESTNONCE123"']);
  assert.deepEqual([...html.matchAll(/<style([^>]*)>/g)].map((x) => x[1]), [' nonce="TESTNONCE123"']);
  assert.doesNotMatch(html, /\sstyle="|\ssrc=|\shref=|https?:\/\/(?!webview\.test)/);
  const clickable = [...html.matchAll(/data-sl="(\d+)"/g)].map((x) => Number(x[1]) + 1);
  for (const h of m.highlights) assert.ok(clickable.includes(h.line), `line ${h.line} clickable`);
  assert.ok(!html.includes('<script>'));
  // rule text is escaped
  const evil = pathModel(traced('iptables -A INPUT -m comment --comment "<img src=x>" -j DROP\n', 'proto=tcp', 'script'));
  assert.doesNotMatch(traceHtml(evil, { nonce: 'n', cspSource: 'c' }), /<img/);
});

test('completion of the SPEC being typed: keys not yet used, then values from the document', () => {
  const fields = packetFields(new FirewallDocument(rules, { dialect: 'save' }).ruleSet);
  assert.deepEqual(specCompletions('', fields).map((c) => c.label).slice(0, 3), ['in=', 'out=', 'proto=']);
  assert.deepEqual(specCompletions('in=eth0 d', fields).map((c) => c.value), ['in=eth0 dst=', 'in=eth0 dport=']);
  assert.ok(!specCompletions('in=eth0 ', fields).some((c) => c.label === 'in='));
  assert.deepEqual(specCompletions('in=eth0 dport=80', fields).map((c) => c.label), ['dport=8080']);
  assert.deepEqual(specCompletions('in=e', fields).map((c) => c.value), ['in=eth0 ', 'in=eth1 ']);
  assert.deepEqual(specCompletions('state=e', fields).map((c) => c.label), ['state=ESTABLISHED']);
  assert.deepEqual(specCompletions('local=192.168.1.100,', fields).map((c) => c.label), []);
  assert.deepEqual(specCompletions('colour=', fields), []);
  // keys typed like Object.prototype members are no fields either (they once threw while typing)
  for (const k of ['constructor', 'toString', '__proto__', 'valueOf']) assert.deepEqual(specCompletions(`${k}=`, fields), []);
  assert.deepEqual(specCompletions('in=', undefined), []);
});

test('recent packets: most recent first, no duplicates, bounded', () => {
  let list: string[] = [];
  for (const s of ['a=1', 'b=2', 'a=1', '  c=3   d=4 ']) list = rememberPacket(list, s, 3);
  assert.deepEqual(list, ['c=3 d=4', 'a=1', 'b=2']);
  assert.deepEqual(rememberPacket(list, 'e=5', 3), ['e=5', 'c=3 d=4', 'a=1']);
  assert.deepEqual(rememberPacket(list, '   ', 3), list);
});

test("raw's NOTRACK: a step in PREROUTING with its line, saying the packet is untracked from there on", () => {
  const text = `*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 80 -j CT --notrack\nCOMMIT\n${rules}`;
  const m = pathModel(traced(text, 'in=eth0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1'));
  const [untrack, policy] = node(m, 0, 'PREROUTING').steps;
  assert.deepEqual([untrack.label, untrack.line, untrack.kind, untrack.target, untrack.rewrite], ['raw/PREROUTING', 3, 'untrack', 'CT', 'state → UNTRACKED (no nat from here on)']);
  assert.deepEqual([policy.kind, policy.detail], ['policy', 'policy ACCEPT']);
  assert.deepEqual(m.branches[0].rewrites, []);
  assert.ok(m.highlights.some((h) => h.line === 3));
  assert.match(traceHtml(m, { nonce: 'n', cspSource: 'c' }), /class="step kind-untrack"/);
});

test('a trace through ufw\'s load: a rule of another file is named by file and line, without a button; one ufw writes itself, by its chain alone', () => {
  const before = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80\nCOMMIT\n';
  const doc = new FirewallDocument(before, { fileName: '/etc/ufw/before.rules' });
  const user = '*filter\n:ufw-user-forward - [0:0]\n-A ufw-user-forward -s 198.51.100.0/24 -j DROP\n-A ufw-user-forward -p tcp -d 10.0.0.2 --dport 80 -j ACCEPT\nCOMMIT\n';
  const src = traceSource(doc, ufwLoad(before, 'ipv4', { role: 'before', defaults: { file: '/etc/default/ufw', forwardPolicy: 'DROP' }, files: [{ role: 'user', file: '/etc/ufw/user.rules', text: user }] }));
  const lines = doc.lines;
  const r = traceReport(src.ruleSet, src.text, parsePacketSpec('in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1').packet!, (s) => {
    const at = src.place(s);
    return 'own' in at ? { range: { start: lines.positionAt(at.own.start), end: lines.positionAt(at.own.end) }, line: lines.lineOf(at.own.start) + 1 } : at;
  });
  const m = pathModel({ uri: 'file:///etc/ufw/before.rules', ...r });
  assert.equal(m.certain, false, 'the source address decides: two branches');
  const forward = (b: number) => node(m, b, 'FORWARD').steps;
  const dropped = m.branches.findIndex((b) => b.verdict === 'DROP');
  assert.deepEqual(m.branches[dropped].conditions.map((c) => [c.where, c.range, c.matched]), [['user.rules, line 3', undefined, true]]);
  assert.ok(forward(dropped).some((s) => s.where === 'user.rules, line 3' && s.range === undefined && s.detail.includes('-j DROP')));
  assert.ok(forward(dropped).some((s) => s.label === 'filter/FORWARD' && s.where === undefined && s.line === undefined));
  // only the file's own rule is highlighted in the editor
  assert.deepEqual(m.highlights.map((h) => h.line), [3]);
  const html = traceHtml(m, { nonce: 'n', cspSource: 'c' });
  assert.ok(html.includes('<span class="cond">user.rules, line 3</span>') && html.includes('<span class="line">user.rules, line 3</span>'));
});

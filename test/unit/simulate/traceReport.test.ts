import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';
import { traceReport } from '../../../server/src/core/simulate/traceReport.ts';
import { uncertainForwardScript } from '../../support/traceFixtures.ts';

const rules = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080
-A POSTROUTING -o eth1 -j MASQUERADE
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:web - [0:0]
-A INPUT -p tcp --dport 22 -j ACCEPT
-A FORWARD -i eth0 -o eth1 -j web
-A web -p tcp -d 192.168.1.100 --dport 8080 -j ACCEPT
-A web -j RETURN
COMMIT
`;
const doc = new FirewallDocument(rules, { dialect: 'save' });
const report = (spec: string) => traceReport(doc.ruleSet, rules, parsePacketSpec(spec).packet!, (s) => ({ line: doc.lines.lineOf(s.start) + 1 }));

test('each step carries its hook, its kind, the rule and where it is, and the NAT change it made', () => {
  const r = report('in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1');
  assert.equal(r.verdict, 'ACCEPT');
  assert.equal(r.packet, 'in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80 state=NEW local=203.0.113.1');
  assert.equal(r.branches.length, 1);
  const b = r.branches[0];
  assert.deepEqual(b.hooks, ['PREROUTING', 'FORWARD', 'POSTROUTING']);
  assert.deepEqual(b.path.map((s) => [s.hook, s.table, s.chain, s.kind, s.line, s.target]), [
    ['PREROUTING', 'nat', 'PREROUTING', 'nat', 4, 'DNAT'],
    ['FORWARD', 'filter', 'FORWARD', 'jump', 12, 'web'],
    ['FORWARD', 'filter', 'web', 'verdict', 13, 'ACCEPT'],
    ['POSTROUTING', 'nat', 'POSTROUTING', 'nat', 5, 'MASQUERADE'],
  ]);
  assert.deepEqual(b.path[0].rewrite, { destination: '192.168.1.100:8080' });
  assert.equal(b.path[0].rule, '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080');
  assert.ok(b.path[3].rewrite?.source);
  assert.match(b.finalPacket, /dst=192\.168\.1\.100 dport=8080/);
});

test('to the host: PREROUTING then INPUT, decided by the policy', () => {
  const r = report('in=eth0 proto=udp dst=203.0.113.1 dport=53 local=203.0.113.1');
  assert.equal(r.verdict, 'DROP');
  assert.deepEqual(r.branches[0].hooks, ['PREROUTING', 'INPUT']);
  const last = r.branches[0].path.at(-1)!;
  assert.deepEqual([last.hook, last.kind, last.policy, last.line], ['INPUT', 'policy', 'DROP', undefined]);
});

test('undecidable rules split the trace: each branch says what it assumes, where', () => {
  const r = report('proto=tcp dport=80 local=203.0.113.1');
  assert.equal(r.verdict, 'UNCERTAIN');
  assert.ok(r.branches.length > 1);
  const assumed = r.branches.map((b) => b.conditions.map((c) => [c.line, c.matched]));
  assert.ok(assumed.some((a) => a.some(([line, m]) => line === 4 && m === true)));
  assert.ok(assumed.some((a) => a.some(([line, m]) => line === 4 && m === false)));
});

test('a local packet: OUTPUT then POSTROUTING', () => {
  const r = report('origin=local out=eth1 proto=tcp dst=198.51.100.1 dport=443');
  assert.deepEqual(r.branches[0].hooks, ['OUTPUT', 'POSTROUTING']);
});

const script = uncertainForwardScript;
const scriptDoc = new FirewallDocument(script, { dialect: 'script' });
const scriptReport = (spec: string) => traceReport(scriptDoc.ruleSet, script, parsePacketSpec(spec).packet!, (s) => ({ line: scriptDoc.lines.lineOf(s.start) + 1 }));
const conditionsOf = (r: ReturnType<typeof scriptReport>) => r.branches.map((b) => [b.verdict, b.conditions.map((c) => [c.line, c.matched])]);

test('a shell variable makes the rule undecidable: one branch where line 3 matches and drops, one where it does not', () => {
  const r = scriptReport('in=eth1 proto=udp dst=10.0.0.1 dport=53');
  assert.equal(r.verdict, 'UNCERTAIN');
  assert.deepEqual(conditionsOf(r), [
    ['DROP', [[3, true]]],
    ['ACCEPT', [[3, false]]],
  ]);
  const [drop, accept] = r.branches;
  assert.deepEqual(drop.path.map((s) => [s.chain, s.line, s.target]), [['FORWARD', 3, 'DROP']]);
  assert.equal(drop.conditions[0].rule, 'iptables -A FORWARD -i $WAN -j DROP');
  assert.deepEqual(drop.conditions.map((c) => c.assumed), ['matches']);
  assert.deepEqual(accept.path.map((s) => [s.chain, s.kind, s.policy]), [['FORWARD', 'policy', 'ACCEPT']]);
});

test('a match the simulator cannot evaluate (recent --rcheck) adds its own branch, named by its line', () => {
  const r = scriptReport('in=eth1 proto=tcp dst=10.0.0.1 dport=22');
  assert.equal(r.verdict, 'UNCERTAIN');
  assert.deepEqual(conditionsOf(r), [
    ['DROP', [[3, true]]],
    ['REJECT', [[3, false], [4, true]]],
    ['ACCEPT', [[3, false], [4, false]]],
  ]);
  assert.deepEqual(r.branches.map((b) => b.path.at(-1)!.line), [3, 4, 5]);
  assert.match(r.branches[1].conditions[1].rule, /-m recent .*--rcheck/);
});

test('a packet that never meets the uncertain rules has one branch and no conditions', () => {
  // addressed to the host: INPUT, not FORWARD where the undecidable rules are
  const r = scriptReport('in=eth1 proto=tcp dst=10.0.0.1 dport=22 local=10.0.0.1');
  assert.equal(r.branches.length, 1);
  assert.deepEqual(r.branches[0].conditions, []);
  assert.deepEqual(r.branches[0].hooks, ['PREROUTING', 'INPUT']);
});

test("raw's NOTRACK is a step of its own, named with its line; the packet goes on UNTRACKED and nat leaves it alone", () => {
  const text = `*raw
:PREROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp --dport 80 -j NOTRACK
COMMIT
${rules}`;
  const d = new FirewallDocument(text, { dialect: 'save' });
  const r = traceReport(d.ruleSet, text, parsePacketSpec('in=eth0 proto=tcp dst=203.0.113.1 dport=80 local=203.0.113.1').packet!, (s) => ({ line: d.lines.lineOf(s.start) + 1 }));
  assert.equal(r.branches.length, 1);
  const b = r.branches[0];
  assert.deepEqual(b.path.map((s) => [s.hook, s.table, s.chain, s.kind, s.line ?? s.policy, s.target]), [
    ['PREROUTING', 'raw', 'PREROUTING', 'untrack', 3, 'NOTRACK'],
    ['PREROUTING', 'raw', 'PREROUTING', 'policy', 'ACCEPT', undefined],
    // the DNAT is skipped: the packet stays for the host, where INPUT's policy drops it
    ['INPUT', 'filter', 'INPUT', 'policy', 'DROP', undefined],
  ]);
  assert.deepEqual(b.rewrites, {});
  assert.match(b.finalPacket, /state=UNTRACKED/);
  assert.equal(r.verdict, 'DROP');
});

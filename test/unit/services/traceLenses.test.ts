import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { traceLenses } from '../../../server/src/core/services/codeLens.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';
import { definiteVerdict, tracePacket } from '../../../server/src/core/simulate/evaluate.ts';

const save = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 192.168.50.10:8080
-A PREROUTING -i lan0 -p tcp --dport 53 -j REDIRECT --to-ports 5353
-A POSTROUTING -o wan0 -j MASQUERADE
-A POSTROUTING -o wan0 -s 192.168.50.0/24 -j SNAT --to-source 203.0.113.1
COMMIT
*filter
:FORWARD DROP [0:0]
-A FORWARD -i wan0 -p tcp -d 192.168.50.10 --dport 8080 -j ACCEPT
COMMIT
`;

test('a lens sits above each DNAT and REDIRECT rule, spanning the rule, and nowhere else', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const lenses = traceLenses(doc.ruleSet);
  const lineRanges = lenses.map((l) => [doc.lines.lineOf(l.span.start) + 1, doc.lines.lineOf(l.span.end) + 1]);
  assert.deepEqual(lineRanges, [[5, 5], [6, 6]]);
  for (const l of lenses) assert.equal(save.slice(l.span.start, l.span.end), save.split('\n')[doc.lines.lineOf(l.span.start)]);
});

test("a lens's packet goes through its own rule", () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const [dnat] = traceLenses(doc.ruleSet);
  const outcomes = tracePacket(doc.ruleSet, parsePacketSpec(dnat.spec).packet!);
  assert.equal(definiteVerdict(outcomes), 'ACCEPT');
  const natStep = outcomes[0].path.find((s) => s.table === 'nat')!;
  assert.equal(natStep.rule!.span.start, dnat.span.start);
});

test('in scripts: a multi-line DNAT command gets one lens over the whole command; deletions and checks get none', () => {
  const script = [
    'iptables -t nat -A PREROUTING -i wan0 -p tcp \\',
    '  --dport 443 -j DNAT --to-destination 10.0.0.2',
    'iptables -t nat -D PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2',
    'iptables -t nat -C PREROUTING -i wan0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.2',
    'iptables -t nat -I PREROUTING 1 -p udp --dport 53 -j DNAT --to-destination 10.0.0.3',
    'iptables -A FORWARD -j ACCEPT',
    '',
  ].join('\n');
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const lenses = traceLenses(doc.ruleSet);
  assert.deepEqual(lenses.map((l) => [doc.lines.lineOf(l.span.start) + 1, doc.lines.lineOf(l.span.end) + 1]), [[1, 2], [5, 5]]);
  assert.deepEqual(lenses.map((l) => parsePacketSpec(l.spec).packet!.dport), [443, 53]);
});

test('no DNAT, no lens', () => {
  assert.deepEqual(traceLenses(new FirewallDocument('*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', { dialect: 'save' }).ruleSet), []);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { traceLenses } from '../../../server/src/core/services/codeLens.ts';
import { definiteVerdict, tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * REDIRECT hands the packet to the host itself (the kernel rewrites the destination to an
 * address of the incoming interface), so after PREROUTING it takes INPUT, never FORWARD,
 * even when the packet does not say which addresses the host has.
 */
const rules = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i lan0 -p tcp --dport 80 -j REDIRECT --to-ports 3128
-A PREROUTING -i wan0 -p tcp --dport 8080 -j DNAT --to-destination 203.0.113.1:80
COMMIT
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lan0 -p tcp --dport 3128 -j ACCEPT
-A FORWARD -j DROP
COMMIT
`;
const doc = new FirewallDocument(rules, { dialect: 'save' });
const trace = (spec: string) => tracePacket(doc.ruleSet, parsePacketSpec(spec).packet!);
const line = (n: number) => rules.split('\n')[n - 1];
const text = (r: { span: { start: number; end: number } }) => rules.slice(r.span.start, r.span.end);

test("the REDIRECT lens's packet takes INPUT, where the proxy port is accepted", () => {
  const lens = traceLenses(doc.ruleSet).find((l) => rules.slice(l.span.start, l.span.end) === line(6))!;
  assert.ok(lens, 'a lens above the REDIRECT rule');
  const o = trace(lens.spec);
  assert.equal(definiteVerdict(o), 'ACCEPT');
  for (const x of o) {
    assert.deepEqual(x.hooks, ['PREROUTING', 'INPUT']);
    assert.ok(!x.path.some((s) => s.hook === 'FORWARD'));
    assert.equal(text(x.path.find((s) => s.table === 'filter')!.rule!), line(13));
    assert.equal(x.packet.dport, 3128);
  }
});

test('REDIRECT without local=: INPUT; with local=: INPUT and the destination is that address', () => {
  const bare = trace('in=lan0 proto=tcp src=192.168.1.5 dst=198.51.100.7 dport=80');
  assert.deepEqual(bare.map((o) => o.hooks), [['PREROUTING', 'INPUT']]);
  assert.equal(definiteVerdict(bare), 'ACCEPT');
  const known = trace('in=lan0 proto=tcp src=192.168.1.5 dst=198.51.100.7 dport=80 local=192.168.1.1');
  assert.deepEqual(known[0].rewrites, { destination: '192.168.1.1:3128' });
  assert.deepEqual(known[0].hooks, ['PREROUTING', 'INPUT']);
});

test('DNAT to an address the host owns takes INPUT; to another, FORWARD', () => {
  const own = trace('in=wan0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=8080 local=203.0.113.1');
  assert.deepEqual(own[0].hooks, ['PREROUTING', 'INPUT']);
  assert.equal(definiteVerdict(own), 'DROP', 'INPUT accepts only the proxy port from lan0');
  assert.equal(own[0].path.at(-1)!.policy, 'DROP');
  const elsewhere = trace('in=wan0 proto=tcp src=198.51.100.7 dst=203.0.113.1 dport=8080 local=203.0.113.2');
  assert.deepEqual(elsewhere[0].hooks, ['PREROUTING', 'FORWARD']);
  assert.equal(definiteVerdict(elsewhere), 'DROP');
});

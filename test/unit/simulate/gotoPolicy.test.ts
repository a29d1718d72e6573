import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';

/**
 * The end of a chain entered with -g goes back past the caller: the built-in chain's policy
 * decides, and the path has a step saying so (the kernel counts the policy, not a rule).
 */
const rules = (how: '-g' | '-j') => `*filter
:FORWARD DROP [0:0]
:web - [0:0]
-A FORWARD ${how} web
-A FORWARD -j ACCEPT
-A web -p tcp --dport 81 -j ACCEPT
COMMIT
`;
const spec = 'in=eth0 out=eth1 proto=tcp src=198.51.100.7 dst=192.168.1.10 dport=80';
const trace = (how: '-g' | '-j') => {
  const doc = new FirewallDocument(rules(how), { dialect: 'save' });
  return tracePacket(doc.ruleSet, parsePacketSpec(spec).packet!).map((o) => ({ verdict: o.verdict, path: o.path.map((s) => [s.chain, s.rule ? doc.lines.lineOf(s.rule.span.start) + 1 : undefined, s.policy]) }));
};

test('goto: the policy decides after the user chain, as a step of its own', () => {
  const o = trace('-g');
  assert.deepEqual(o.map((x) => x.verdict), ['DROP']);
  assert.deepEqual(o[0].path, [
    ['FORWARD', 4, undefined],
    ['web', undefined, undefined],
    ['FORWARD', undefined, 'DROP'],
  ]);
});

test('jump: back in the caller, the next rule decides; no policy step', () => {
  const o = trace('-j');
  assert.equal(o[0].verdict, 'ACCEPT');
  assert.deepEqual(o[0].path, [
    ['FORWARD', 4, undefined],
    ['web', undefined, undefined],
    ['FORWARD', 5, undefined],
  ]);
});

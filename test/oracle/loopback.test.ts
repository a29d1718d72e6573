import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * missing-loopback-accept against the kernel: a namespace this test creates (one of a pair on
 * 10.200.81.0/24) loads the rules and a program in it connects to a server of its own on
 * 127.0.0.1:5432. Where the rule says loopback connections are dropped, that connection must
 * time out; with the fix applied, it must be answered.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `loopback in namespaces: ${missing}`);

const pair = new NamespacePair('lo', '10.200.81.1', '10.200.81.2', 24);

pairWithService(skip, pair, '127.0.0.1', 5432, 'answered');

/** Loads `rules` into a, then a client in a connects to the server of a on 127.0.0.1: what it read, or 'timeout'. */
function localConnection(rules: string): string {
  loadRules(pair.a, rules);
  return connectFrom(pair.a, '127.0.0.1', 5432, 1, 1500)[0];
}

const rules = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
`;

test('INPUT without an accept for lo drops the host\'s connections to itself; the fix accepts them', { skip, timeout: 30_000 }, () => {
  const found = new FirewallDocument(rules, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-loopback-accept');
  assert.equal(found.length, 1);
  assert.equal(rules.slice(found[0].span.start, found[0].span.end), 'DROP');
  assert.equal(localConnection(rules), 'timeout');
  const fixed = applyFix(rules, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-loopback-accept'), []);
  assert.equal(localConnection(fixed), 'answered');
});

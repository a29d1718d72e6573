import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * source-port-accept against the kernel: namespace a is a host whose INPUT drops, with a
 * service on a port no rule opens; b a client on the same link (10.200.92.0/24, this test's
 * own). Whether b gets through shows the hole: from the accepted source port, or from another.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `source-port-accept in namespaces: ${missing}`);

const pair = new NamespacePair('sp', '10.200.92.1', '10.200.92.2', 24);
pairWithService(skip, pair, '0.0.0.0', 5432, 'database');

const RULES = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp --sport 80 -j ACCEPT\nCOMMIT\n';

test('an accept by source port lets a client in from that port to any port; accepting replies only does not', { skip }, () => {
  const findings = new FirewallDocument(RULES, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'source-port-accept');
  assert.deepEqual(findings.map((d) => RULES.slice(d.span.start, d.span.end)), ['--sport 80']);
  loadRules(pair.a, RULES);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 5432, 1, 1500, 80), ['database'], 'from port 80 the database answers');
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 5432, 1, 1500), ['timeout'], 'from another port it does not');
  const fixed = applyFix(RULES, findings[0].fixes![0]);
  assert.equal(new FirewallDocument(fixed, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'source-port-accept').length, 0);
  loadRules(pair.a, fixed);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 5432, 1, 1500, 80), ['timeout'], 'with the fix, from port 80 neither');
});

const EITHER = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m multiport --ports 80,443 -j ACCEPT\nCOMMIT\n';

test('multiport --ports takes a listed port on either side: from port 80 to any port; --dports does not', { skip }, () => {
  const findings = new FirewallDocument(EITHER, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'source-port-accept');
  assert.deepEqual(findings.map((d) => EITHER.slice(d.span.start, d.span.end)), ['--ports 80,443']);
  loadRules(pair.a, EITHER);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 5432, 1, 1500, 80), ['database'], 'from port 80 the database answers');
  const fixed = applyFix(EITHER, findings[0].fixes![0]);
  loadRules(pair.a, fixed);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 5432, 1, 1500, 80), ['timeout'], 'with --dports, from port 80 it does not');
});

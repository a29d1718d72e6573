import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * ssh-lockout-risk's cases of a session that never comes up, against the kernel: two
 * namespaces this test creates, joined by a veth pair on 10.200.82.0/24. The host `a` listens
 * on the SSH port and loads rules whose OUTPUT drops by default, or whose INPUT accepts SSH in
 * state NEW alone; `b` connects. Where the rule says the server's packets, or the session's
 * after its first, are dropped, the connection must time out; with the fix applied, it must
 * come up.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `SSH through OUTPUT in namespaces: ${missing}`);

const pair = new NamespacePair('sso', '10.200.82.1', '10.200.82.2', 24);
pairWithService(skip, pair, pair.addrA, 22, 'SSH-2.0-test');

/** Loads `rules` into a and connects from b to its port 22: what b read, or 'timeout'. */
function login(rules: string): string {
  loadRules(pair.a, rules);
  return connectFrom(pair.b, pair.addrA, 22)[0];
}

const rules = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT DROP [0:0]
-A OUTPUT -o lo -j ACCEPT
-A OUTPUT -p udp -m udp --dport 53 -j ACCEPT
COMMIT
`;

test('OUTPUT that drops the SSH server\'s packets keeps every session from coming up; the fix lets them out', { skip, timeout: 30_000 }, () => {
  const found = new FirewallDocument(rules, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'ssh-lockout-risk');
  assert.equal(found.length, 1);
  assert.equal(rules.slice(found[0].span.start, found[0].span.end), 'DROP');
  assert.equal(login(rules), 'timeout');
  const fixed = applyFix(rules, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'ssh-lockout-risk'), []);
  assert.equal(login(fixed), 'SSH-2.0-test');
});

const newOnly = `*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT
COMMIT
`;

test('INPUT that accepts SSH in state NEW alone drops the rest of each session; the fix accepts ESTABLISHED,RELATED', { skip, timeout: 30_000 }, () => {
  const found = new FirewallDocument(newOnly, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'ssh-lockout-risk');
  assert.deepEqual(found.map((d) => newOnly.slice(d.span.start, d.span.end)), ['DROP']);
  assert.equal(login(newOnly), 'timeout');
  const fixed = applyFix(newOnly, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'ssh-lockout-risk'), []);
  assert.equal(login(fixed), 'SSH-2.0-test');
});

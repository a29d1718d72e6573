import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules, pairWithService } from './tcpProbe.ts';

/**
 * ineffective-limit and recent-list-never-set against the kernel: two namespaces this test
 * creates, joined by a veth pair on 10.200.80.0/24. The host `a` listens on a TCP port and
 * limits new connections to it; `b` opens three in a row. Where a rule says the limit never
 * bites (its excess accepted further on, or its recent list never filled), all three must
 * connect; with the rule's fix applied, fewer.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `rate limits in namespaces: ${missing}`);

const pair = new NamespacePair('lim', '10.200.80.1', '10.200.80.2', 24);
pairWithService(skip, pair, pair.addrA, 9000, 'ok');

/** Loads `rules` into a (fresh counters, buckets and recent lists) and opens three connections from b: how many were answered. */
function answered(rules: string): number {
  loadRules(pair.a, rules);
  // a recent list outlives the rules when the new ones name it too: emptied, as a fresh boot has it
  const empty = spawnSync('ip', ['netns', 'exec', pair.a, 'sh', '-c', 'for f in /proc/net/xt_recent/*; do [ -e "$f" ] && echo / > "$f"; done; true'], { encoding: 'utf8' });
  assert.equal(empty.status, 0, empty.stderr);
  return connectFrom(pair.b, pair.addrA, 9000, 3, 1500).filter((r) => r === 'ok').length;
}

const rules = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 9000 -m conntrack --ctstate NEW -m limit --limit 1/min --limit-burst 1 -j ACCEPT
COMMIT
`;

test('a limit whose excess the policy accepts limits nothing; the fix drops the excess', { skip, timeout: 60_000 }, () => {
  const found = new FirewallDocument(rules, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'ineffective-limit');
  assert.equal(found.length, 1);
  assert.equal(rules.slice(found[0].span.start, found[0].span.end), 'limit');
  assert.equal(answered(rules), 3, 'every connection is answered: the ACCEPT policy takes those over the limit');
  const fixed = applyFix(rules, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'ineffective-limit'), []);
  assert.equal(answered(fixed), 1, 'only the first is under the limit');
});

const guard = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -p tcp -m tcp --dport 9000 -m conntrack --ctstate NEW -m recent --set --name GUARD
-A INPUT -p tcp -m tcp --dport 9000 -m conntrack --ctstate NEW -m recent --update --seconds 60 --hitcount 2 --name guard -j DROP
COMMIT
`;

test('a recent --update of a list no --set fills never drops; with the name fixed, the second connection is dropped', { skip, timeout: 60_000 }, () => {
  const found = new FirewallDocument(guard, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'recent-list-never-set');
  assert.equal(found.length, 1);
  assert.equal(guard.slice(found[0].span.start, found[0].span.end), '--name guard');
  assert.equal(answered(guard), 3, 'the guard never fires');
  const fixed = applyFix(guard, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'recent-list-never-set'), []);
  assert.equal(answered(fixed), 1, 'from the second sighting on, the address is dropped');
});

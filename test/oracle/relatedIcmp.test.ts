import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * missing-established-rule's RELATED finding against the kernel: two namespaces this test
 * creates, joined by a veth pair on 10.200.77.0/24. The host `a` loads the rules and sends a
 * UDP datagram to a closed port of `b`; b's ICMP error comes back in state RELATED. Where the
 * rule says ICMP errors are dropped, the error must end at a's DROP policy; with the rule's
 * fix applied, an accept must take it.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `ICMP errors in namespaces: ${missing}`);

const pair = new NamespacePair('rel', '10.200.77.1', '10.200.77.2', 24);
const A = pair.a;
const ADDR_B = pair.addrB;

before(() => {
  if (!skip) pair.create();
});

after(() => pair.destroy());

/**
 * Loads `rules` into a, sends one datagram to a closed port of b, and says what took b's ICMP
 * error: the line of the rule whose counter moved (of the rules with a target), or 'policy'.
 */
function icmpErrorTakenBy(rules: string): string {
  const load = spawnSync('ip', ['netns', 'exec', A, 'iptables-restore'], { input: rules, encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  const send = spawnSync('ip', ['netns', 'exec', A, process.execPath, '-e', `const s = require('node:dgram').createSocket('udp4'); s.send('x', 9, '${ADDR_B}', () => setTimeout(() => process.exit(0), 500));`], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(send.status, 0, send.stderr);
  const saved = spawnSync('ip', ['netns', 'exec', A, 'iptables-save', '-c', '-t', 'filter'], { encoding: 'utf8' }).stdout;
  const policy = /^:INPUT DROP \[(\d+):/m.exec(saved);
  if (policy && Number(policy[1]) > 0) return 'policy';
  const hit = saved.split('\n').find((l) => /^\[[1-9]\d*:\d+\] -A INPUT .* -j ACCEPT/.test(l));
  return hit ? hit.replace(/^\[\d+:\d+\] /, '') : 'nothing';
}

const client = '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';

test('ICMP errors about the host\'s connections are RELATED: reported rules drop them, the fix accepts them', { skip, timeout: 60_000 }, () => {
  const found = new FirewallDocument(client, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-established-rule');
  assert.equal(found.length, 1);
  assert.equal(client.slice(found[0].span.start, found[0].span.end), 'ESTABLISHED');
  assert.equal(icmpErrorTakenBy(client), 'policy', 'the ICMP error ends at the DROP policy');
  const fixed = applyFix(client, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-established-rule'), []);
  assert.equal(icmpErrorTakenBy(fixed), '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
});

const icmpDropped = '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p icmp -j DROP\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';

test('a rule dropping ICMP before the RELATED accept takes the ICMP errors; the fix accepts them before it', { skip, timeout: 60_000 }, () => {
  const found = new FirewallDocument(icmpDropped, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-established-rule');
  assert.deepEqual(found.map((d) => icmpDropped.slice(d.span.start, d.span.end)), ['-A INPUT -p icmp -j DROP']);
  assert.equal(icmpErrorTakenBy(icmpDropped), 'nothing', 'no accept and not the policy');
  const counted = spawnSync('ip', ['netns', 'exec', A, 'iptables-save', '-c', '-t', 'filter'], { encoding: 'utf8' }).stdout;
  assert.match(counted, /^\[[1-9]\d*:\d+\] -A INPUT -p icmp -j DROP$/m, 'the ICMP drop took it');
  const fixed = applyFix(icmpDropped, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-established-rule'), []);
  assert.equal(icmpErrorTakenBy(fixed), '-A INPUT -p icmp -m conntrack --ctstate RELATED -j ACCEPT');
});

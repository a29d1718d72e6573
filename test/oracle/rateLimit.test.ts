import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';

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
let listener: ChildProcess | undefined;

before(async () => {
  if (skip) return;
  pair.create();
  listener = spawn('ip', ['netns', 'exec', pair.a, process.execPath, '-e', `require('node:net').createServer((c) => c.end('ok')).listen(9000, '${pair.addrA}', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => listener!.stdout!.once('data', () => resolve()));
});

after(() => {
  listener?.kill();
  pair.destroy();
});

/** Loads `rules` into a (fresh counters, buckets and recent lists) and opens three connections from b: how many were answered. */
function answered(rules: string): number {
  const load = spawnSync('ip', ['netns', 'exec', pair.a, 'iptables-restore'], { input: rules, encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  // a recent list outlives the rules when the new ones name it too: emptied, as a fresh boot has it
  const empty = spawnSync('ip', ['netns', 'exec', pair.a, 'sh', '-c', 'for f in /proc/net/xt_recent/*; do [ -e "$f" ] && echo / > "$f"; done; true'], { encoding: 'utf8' });
  assert.equal(empty.status, 0, empty.stderr);
  const script = `const net = require('node:net'); let n = 0;
    const one = () => new Promise((done) => { const s = net.connect(9000, '${pair.addrA}'); s.setTimeout(1500, () => { s.destroy(); done(); }); s.on('data', () => { n++; s.destroy(); done(); }); s.on('error', () => done()); });
    (async () => { for (let i = 0; i < 3; i++) await one(); console.log(n); })();`;
  const r = spawnSync('ip', ['netns', 'exec', pair.b, process.execPath, '-e', script], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
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

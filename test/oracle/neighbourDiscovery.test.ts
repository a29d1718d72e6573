import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip, NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * missing-ndp-accept against the kernel: two namespaces this test creates, joined by a veth
 * pair with ULA addresses (fd00:10:200::/64, nowhere else). The host `a` loads the rules and
 * serves TCP; `b` connects. Where the rule reports neighbour discovery dropped, the connection
 * must time out (b never learns a's link-layer address); with the rule's own fix applied the
 * same rules let it through.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `neighbour discovery in namespaces: ${missing}`);

const pair = new NamespacePair('ndp', 'fd00:10:200::1', 'fd00:10:200::2', 64);
const A = pair.a;
const B = pair.b;
const ADDR_A = pair.addrA;
const PORT = 5000;

let server: ReturnType<typeof spawn> | undefined;

before(async () => {
  if (skip) return;
  pair.create();
  server = spawn('ip', ['netns', 'exec', A, process.execPath, '-e', `require('node:net').createServer((s) => s.end('hi')).listen(${PORT}, '${ADDR_A}', () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server!.stdout!.once('data', () => resolve());
    server!.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
});

after(() => {
  server?.kill();
  pair.destroy();
});

/** Loads `rules` into a's ip6tables (neighbour caches emptied) and says whether b reaches a's TCP port. */
function connects(rules: string): boolean {
  const load = spawnSync('ip', ['netns', 'exec', A, 'ip6tables-restore'], { input: rules, encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  ip('-n', A, 'neigh', 'flush', 'all');
  ip('-n', B, 'neigh', 'flush', 'all');
  const client = spawnSync('ip', ['netns', 'exec', B, process.execPath, '-e', `const s = require('node:net').connect(${PORT}, '${ADDR_A}'); s.setTimeout(2500, () => process.exit(1)); s.on('data', () => process.exit(0)); s.on('error', () => process.exit(1));`], { encoding: 'utf8', timeout: 10_000 });
  return client.status === 0;
}

function findings(text: string) {
  return new FirewallDocument(text, { fileName: 'rules.v6' }).diagnostics().filter((d) => d.code === 'missing-ndp-accept');
}

const server6 = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -p tcp --dport 5000 -j ACCEPT\nCOMMIT\n';

test('reported rules lose the neighbour; the fix brings it back', { skip, timeout: 60_000 }, () => {
  assert.ok(connects('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n'), 'without rules b reaches a');
  const [d] = findings(server6);
  assert.ok(d, 'the server rules are reported');
  assert.equal(server6.slice(d.span.start, d.span.end), 'DROP');
  assert.equal(connects(server6), false, 'the reported rules let no connection through');
  const fixed = applyFix(server6, d.fixes![0]);
  assert.deepEqual(findings(fixed), []);
  assert.ok(connects(fixed), 'with the fix b reaches a');
});

test('rules the check lets pass do reach the neighbour', { skip, timeout: 60_000 }, () => {
  for (const accept of ['-A INPUT -p ipv6-icmp -j ACCEPT', '-A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT', '-A INPUT -p icmpv6 --icmpv6-type 135 -j ACCEPT\n-A INPUT -p icmpv6 --icmpv6-type 136 -j ACCEPT']) {
    const rules = server6.replace('-A INPUT -p tcp', `${accept}\n-A INPUT -p tcp`);
    assert.deepEqual(findings(rules), [], accept);
    assert.ok(connects(rules), accept);
  }
});

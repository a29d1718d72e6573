import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../server/src/cli/main.ts';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip, NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn } from './tcpProbe.ts';

/**
 * ipv6-left-open against the kernel: namespace a runs an IPv4-only firewall script, or a pair
 * of rules.v4 and rules.v6, with services listening on all addresses of both families; b connects over IPv4 and over IPv6
 * (10.200.84.0/24 and a ULA on the pair's link, this test's own).
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `ipv6-left-open in namespaces: ${missing}`);

const pair = new NamespacePair('v6', '10.200.84.1', '10.200.84.2', 24);
const V6A = 'fd00:200:84::1';
const services: ChildProcess[] = [];

before(async () => {
  if (skip) return;
  pair.create();
  ip('-n', pair.a, 'addr', 'add', `${V6A}/64`, 'dev', pair.devA, 'nodad');
  ip('-n', pair.b, 'addr', 'add', 'fd00:200:84::2/64', 'dev', pair.devB, 'nodad');
  services.push(await listenIn(pair.a, '::', 8090, 'database'), await listenIn(pair.a, '::', 2222, 'ssh'));
});

after(() => {
  for (const s of services) s.kill();
  pair.destroy();
});

/** Runs `script` in a with sh, after opening both families' INPUT again. */
function runInA(script: string): void {
  const reset = 'iptables -F; iptables -P INPUT ACCEPT; ip6tables -F; ip6tables -P INPUT ACCEPT\n';
  const r = spawnSync('ip', ['netns', 'exec', pair.a, 'sh', '-e'], { input: reset + script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const reach = (addr: string, port: number) => connectFrom(pair.b, addr, port, 1, 1500)[0];

test('an IPv4-only script leaves the host open over IPv6; the fix closes it and keeps the accepted port', { skip, timeout: 60_000 }, () => {
  const script = 'iptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 2222 -j ACCEPT\niptables -P INPUT DROP\n';
  const found = new FirewallDocument(script, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'ipv6-left-open');
  assert.equal(found.length, 1);
  runInA(script);
  assert.equal(reach(pair.addrA, 8090), 'timeout');
  assert.equal(reach(pair.addrA, 2222), 'ssh');
  assert.equal(reach(V6A, 8090), 'database');
  const fixed = applyFix(script, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'ipv6-left-open'), []);
  runInA(fixed);
  assert.equal(reach(V6A, 8090), 'timeout');
  assert.equal(reach(V6A, 2222), 'ssh');
  assert.equal(reach(pair.addrA, 2222), 'ssh');
});

test('rules.v4 closed, rules.v6 as netfilter-persistent saves it untouched: the CLI reports the pair and IPv6 answers; a closed rules.v6 silences it and closes IPv6', { skip, timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-pair-'));
  const v4 = join(dir, 'rules.v4');
  writeFileSync(v4, '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 2222 -j ACCEPT\nCOMMIT\n');
  const open = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n';
  const closed = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 2222 -j ACCEPT\nCOMMIT\n';
  const lint = () => {
    let out = '';
    main(['--format', 'json', v4], { stdout: (t) => void (out += t), stderr: () => undefined });
    return JSON.parse(out).files[0].diagnostics.filter((d: { code: string }) => d.code === 'ipv6-left-open').length;
  };
  const load = (tool: string, text: string) => {
    const r = spawnSync('ip', ['netns', 'exec', pair.a, tool], { input: text, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  writeFileSync(join(dir, 'rules.v6'), open);
  assert.equal(lint(), 1);
  load('iptables-restore', readFileSync(v4, 'utf8'));
  load('ip6tables-restore', open);
  assert.equal(reach(pair.addrA, 8090), 'timeout');
  assert.equal(reach(V6A, 8090), 'database');
  writeFileSync(join(dir, 'rules.v6'), closed);
  assert.equal(lint(), 0);
  load('ip6tables-restore', closed);
  assert.equal(reach(V6A, 8090), 'timeout');
  assert.equal(reach(V6A, 2222), 'ssh');
  runInA('');
});

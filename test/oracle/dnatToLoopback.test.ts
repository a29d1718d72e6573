import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import type { Diagnostic, Fix } from '../../server/src/core/analysis/types.ts';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { tracePacket } from '../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../server/src/core/simulate/packet.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip, NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn } from './tcpProbe.ts';

/**
 * dnat-to-loopback against the kernel: namespace a is a host with services on its loopback
 * addresses and on all addresses, b a client on the same link (10.200.83.0/24 and a ULA, both
 * this test's own). The scripts the rule judges run in a as they are written; a connection
 * from b then shows whether the port forward works, before and after each quick fix.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `dnat-to-loopback in namespaces: ${missing}`);

const pair = new NamespacePair('dl', '10.200.83.1', '10.200.83.2', 24);
const V6A = 'fd00:200:83::1';
const V6B = 'fd00:200:83::2';

const services: ChildProcess[] = [];
let datagrams = '';

before(async () => {
  if (skip) return;
  pair.create();
  ip('-n', pair.a, 'addr', 'add', `${V6A}/64`, 'dev', pair.devA, 'nodad');
  ip('-n', pair.b, 'addr', 'add', `${V6B}/64`, 'dev', pair.devB, 'nodad');
  services.push(
    await listenIn(pair.a, '127.0.0.1', 8081, 'loopback only'),
    await listenIn(pair.a, '0.0.0.0', 8083, 'all addresses'),
    await listenIn(pair.a, '::1', 8081, 'v6 loopback only'),
    await listenIn(pair.a, '::', 8084, 'v6 all addresses'),
  );
  // a UDP service on 127.0.0.1 that says what reaches it: the exposure route_localnet opens
  const udp = spawn('ip', ['netns', 'exec', pair.a, process.execPath, '-e', `const s = require('node:dgram').createSocket('udp4'); s.on('message', (m) => console.log(String(m))); s.bind(8082, '127.0.0.1', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => udp.stdout!.once('data', () => resolve()));
  udp.stdout!.on('data', (d) => (datagrams += String(d)));
  services.push(udp);
});

after(() => {
  for (const s of services) s.kill();
  pair.destroy();
});

/** Runs `script` in a with sh, after emptying the tables and turning route_localnet off. */
function runInA(script: string): void {
  const reset = `iptables -t nat -F; iptables -F; ip6tables -t nat -F; sysctl -qw net.ipv4.conf.all.route_localnet=0 net.ipv4.conf.${pair.devA}.route_localnet=0\n`;
  const r = spawnSync('ip', ['netns', 'exec', pair.a, 'sh', '-e'], { input: reset + script, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function findings(script: string): Diagnostic[] {
  return new FirewallDocument(script, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'dnat-to-loopback');
}

function fix(script: string, title: RegExp): string {
  const [d] = findings(script);
  const f: Fix | undefined = d?.fixes?.find((x) => title.test(x.title));
  assert.ok(f, `a fix matching ${title}`);
  return applyFix(script, f);
}

test('a DNAT to 127.0.0.1 times out without route_localnet; the fix sets it with the guard and the service answers', { skip, timeout: 60_000 }, () => {
  const script = `iptables -t nat -A PREROUTING -i ${pair.devA} -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:8081\n`;
  const found = findings(script);
  assert.equal(found.length, 1);
  assert.equal(script.slice(found[0].span.start, found[0].span.end), '--to-destination 127.0.0.1:8081');
  runInA(script);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['timeout']);
  const fixed = fix(script, /route_localnet/);
  assert.deepEqual(findings(fixed), []);
  runInA(fixed);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['loopback only']);
});

test('the trace reads the script\'s route_localnet: turned off, routing drops the connection (it times out); turned on, it reaches INPUT (the service answers)', { skip, timeout: 60_000 }, () => {
  const dnat = `iptables -t nat -A PREROUTING -i ${pair.devA} -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:8081\n`;
  const packet = parsePacketSpec(`in=${pair.devA} proto=tcp src=${pair.addrB} dst=${pair.addrA} dport=8080 local=${pair.addrA}`).packet!;
  const trace = (script: string) => tracePacket(new FirewallDocument(script, { dialect: 'script' }).ruleSet, packet);
  const off = `sysctl -w net.ipv4.conf.${pair.devA}.route_localnet=0\n${dnat}`;
  const [dropped, ...more] = trace(off);
  assert.equal(more.length, 0);
  assert.deepEqual([dropped.verdict, dropped.hooks], ['DROP', ['PREROUTING']]);
  assert.match(dropped.routing!, /route_localnet/);
  runInA(off);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['timeout']);
  const on = `sysctl -w net.ipv4.conf.${pair.devA}.route_localnet=1\n${dnat}`;
  const [passed] = trace(on);
  assert.deepEqual([passed.verdict, passed.hooks, passed.routing], ['ACCEPT', ['PREROUTING', 'INPUT'], undefined]);
  runInA(on);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['loopback only']);
});

test('route_localnet alone lets the link reach services on 127.0.0.1; the guard of the fix drops those packets', { skip, timeout: 60_000 }, async () => {
  // b sends to 127.0.0.1 through a, as a host on the link can
  ip('-n', pair.b, 'route', 'del', 'local', '127.0.0.1', 'dev', 'lo', 'table', 'local');
  ip('-n', pair.b, 'route', 'del', 'local', '127.0.0.0/8', 'dev', 'lo', 'table', 'local');
  ip('-n', pair.b, 'route', 'add', '127.0.0.1/32', 'via', pair.addrA, 'dev', pair.devB);
  spawnSync('ip', ['netns', 'exec', pair.b, 'sysctl', '-qw', `net.ipv4.conf.${pair.devB}.route_localnet=1`]);
  const send = async (word: string): Promise<boolean> => {
    const r = spawnSync('ip', ['netns', 'exec', pair.b, process.execPath, '-e', `const s = require('node:dgram').createSocket('udp4'); s.send('${word}', 8082, '127.0.0.1', () => s.close())`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return datagrams.includes(word);
  };
  runInA(`sysctl -qw net.ipv4.conf.${pair.devA}.route_localnet=1\n`);
  assert.equal(await send('without-guard'), true);
  const script = `iptables -t nat -A PREROUTING -i ${pair.devA} -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:8081\n`;
  runInA(fix(script, /route_localnet/));
  assert.equal(await send('with-guard'), false);
});

test('REDIRECT, the other fix, reaches a service listening on all addresses', { skip, timeout: 60_000 }, () => {
  const script = `iptables -t nat -A PREROUTING -i ${pair.devA} -p tcp --dport 8080 -j DNAT --to-destination 127.0.0.1:8083\n`;
  runInA(script);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['timeout']);
  const fixed = fix(script, /REDIRECT/);
  assert.deepEqual(findings(fixed), []);
  runInA(fixed);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['all addresses']);
});

test('IPv6: a DNAT to ::1 never reaches the service, route_localnet or not (an error); REDIRECT does', { skip, timeout: 60_000 }, () => {
  const script = `ip6tables -t nat -A PREROUTING -i ${pair.devA} -p tcp --dport 8080 -j DNAT --to-destination [::1]:8081\n`;
  const found = findings(script);
  assert.deepEqual(found.map((d) => d.severity), ['error']);
  runInA(script);
  assert.notEqual(connectFrom(pair.b, V6A, 8080, 1, 1500)[0], 'v6 loopback only');
  runInA(`sysctl -qw net.ipv4.conf.all.route_localnet=1\n${script}`);
  assert.notEqual(connectFrom(pair.b, V6A, 8080, 1, 1500)[0], 'v6 loopback only');
  const redirect = fix(script.replace(':8081', ':8084'), /REDIRECT/);
  assert.deepEqual(findings(redirect), []);
  runInA(redirect);
  assert.deepEqual(connectFrom(pair.b, V6A, 8080, 1, 1500), ['v6 all addresses']);
});

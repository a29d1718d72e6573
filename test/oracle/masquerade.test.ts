import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip } from './namespacePair.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * missing-masquerade against the kernel: a LAN client and a router on 10.200.101.0/24, a
 * server on 10.200.102.0/24 out of the router's other interface (this test's own ranges). The
 * server knows no way back to the LAN, as a host on the internet knows none to a private
 * network: the router's script lets the LAN out without source NAT, the finding says the
 * answers cannot come back, and the client's connection times out; with the finding's quick
 * fix applied the server answers. Given a route back to the LAN (a network that routes it
 * to this router), the connection works without NAT: why the finding is information.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `source NAT in namespaces: ${missing}`);

const net = new RoutedNetworks('msq', '10.200.101', '10.200.102', ['10.200.102.2']);
const ROUTER = net.router;
const CLIENT = net.client;
const SERVER = net.far;
const WAN = net.farDev;
const LAN = net.pair.devA;

net.forTests(skip, async () => {
  // the server reaches its own network only: no way back to the LAN
  ip('-n', SERVER, 'route', 'del', 'default');
  await net.serve('10.200.102.2', 8080, 'server');
});

const script = `iptables -F FORWARD
iptables -t nat -F POSTROUTING
iptables -P FORWARD DROP
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A FORWARD -s 10.200.101.0/24 -o ${WAN} -j ACCEPT
`;

function run(text: string): void {
  const r = spawnSync('ip', ['netns', 'exec', ROUTER, 'sh', '-e', '-c', text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'missing-masquerade');

test('the LAN let out without source NAT: reported, and the connection times out; with the quick fix it gets the answer', { skip, timeout: 60_000 }, () => {
  const [d, ...more] = findings(script);
  assert.equal(more.length, 0);
  assert.equal(script.slice(d.span.start, d.span.end), `iptables -A FORWARD -s 10.200.101.0/24 -o ${WAN} -j ACCEPT`);
  run(script);
  assert.deepEqual(connectFrom(CLIENT, '10.200.102.2', 8080, 1, 1500), ['timeout']);
  const fixed = applyFix(script, d.fixes![0]);
  assert.ok(fixed.includes(`iptables -t nat -A POSTROUTING -s 10.200.101.0/24 -o ${WAN} -j MASQUERADE\n`), fixed);
  assert.deepEqual(findings(fixed), []);
  run(fixed);
  assert.deepEqual(connectFrom(CLIENT, '10.200.102.2', 8080, 1, 1500), ['server']);
});

test('an accept by interfaces (LAN known from INPUT, outside from the accept of replies only): reported, fixed with the classic MASQUERADE', { skip, timeout: 60_000 }, () => {
  const byInterfaces = `iptables -F INPUT
iptables -F FORWARD
iptables -t nat -F POSTROUTING
iptables -A INPUT -i ${LAN} -s 10.200.101.0/24 -j ACCEPT
iptables -P FORWARD DROP
iptables -A FORWARD -i ${WAN} -o ${LAN} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A FORWARD -i ${LAN} -o ${WAN} -j ACCEPT
`;
  const [d, ...more] = findings(byInterfaces);
  assert.equal(more.length, 0);
  assert.equal(byInterfaces.slice(d.span.start, d.span.end), `iptables -A FORWARD -i ${LAN} -o ${WAN} -j ACCEPT`);
  run(byInterfaces);
  assert.deepEqual(connectFrom(CLIENT, '10.200.102.2', 8080, 1, 1500), ['timeout']);
  const fixed = applyFix(byInterfaces, d.fixes![0]);
  assert.ok(fixed.endsWith(`iptables -t nat -A POSTROUTING -o ${WAN} -j MASQUERADE\n`), fixed);
  assert.deepEqual(findings(fixed), []);
  run(fixed);
  assert.deepEqual(connectFrom(CLIENT, '10.200.102.2', 8080, 1, 1500), ['server']);
  run('iptables -F INPUT\niptables -t nat -F POSTROUTING\n');
});

test('a network beyond that routes the LAN back to the router: the connection works without NAT (the finding is information)', { skip, timeout: 60_000 }, () => {
  ip('-n', SERVER, 'route', 'add', '10.200.101.0/24', 'via', '10.200.102.1');
  try {
    run(script);
    assert.deepEqual(connectFrom(CLIENT, '10.200.102.2', 8080, 1, 1500), ['server']);
    assert.equal(findings(script)[0]?.severity, 'info');
  } finally {
    ip('-n', SERVER, 'route', 'del', '10.200.101.0/24');
  }
});

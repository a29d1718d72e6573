import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip } from './namespacePair.ts';
import { connectFrom, listenForPeersIn } from './tcpProbe.ts';
import type { ChildProcess } from 'node:child_process';

/**
 * untracked-skips-nat against the kernel: a client outside a router (10.200.107.0/24) and a
 * server inside it (10.200.108.0/24, this test's own ranges), reached by a port forward of the
 * router's outside address. Once raw untracks the forwarded port, the connection never reaches
 * the server: nothing on the router answers port 80, which refuses it. The other way, the
 * inside host connects out through a MASQUERADE to a service outside that answers the address
 * each connection comes from: untracked, the connection leaves with its inside address.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `untracked port forwards in namespaces: ${missing}`);

const net = new RoutedNetworks('usn', '10.200.107', '10.200.108', ['10.200.108.2']);
const OUTSIDE = net.pair.devA;
let outsideService: ChildProcess | undefined;

before(async () => {
  if (skip) return;
  net.create();
  await net.serve('10.200.108.2', 8080, 'server');
  outsideService = await listenForPeersIn(net.client, '10.200.107.2', 8081);
});

after(() => {
  outsideService?.kill();
  if (!skip) net.destroy();
});

const forward = `iptables -t raw -F
iptables -t nat -F
iptables -t nat -A PREROUTING -i ${OUTSIDE} -p tcp --dport 80 -j DNAT --to-destination 10.200.108.2:8080
`;

const all = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics();
const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'untracked-skips-nat');

test('the forwarded port untracked: reported, and the connection never reaches the server; tracked, it does', { skip, timeout: 60_000 }, () => {
  const untracked = `${forward}iptables -t raw -A PREROUTING -p tcp --dport 80 -j NOTRACK\n`;
  const [d, ...more] = findings(untracked);
  assert.equal(more.length, 0);
  assert.equal(untracked.slice(d.span.start, d.span.end), 'iptables -t raw -A PREROUTING -p tcp --dport 80 -j NOTRACK');
  net.runOnRouter(untracked);
  assert.deepEqual(connectFrom(net.client, '10.200.107.1', 80, 1, 1500), ['ECONNREFUSED']);
  assert.deepEqual(findings(forward), []);
  net.runOnRouter(forward);
  assert.deepEqual(connectFrom(net.client, '10.200.107.1', 80, 1, 1500), ['server']);
});

test('forwarded connections untracked beside a MASQUERADE: reported; they leave with the inside address and go unanswered; the fix untracks only packets for the router', { skip, timeout: 60_000 }, () => {
  const masquerade = `iptables -t raw -F
iptables -t nat -F
iptables -F INPUT
iptables -t nat -A POSTROUTING -o ${OUTSIDE} -j MASQUERADE
`;
  const untracked = `${masquerade}iptables -t raw -A PREROUTING -p tcp --dport 8081 -j NOTRACK\n`;
  const [d, ...more] = findings(untracked);
  assert.equal(more.length, 0);
  assert.equal(untracked.slice(d.span.start, d.span.end), 'iptables -t raw -A PREROUTING -p tcp --dport 8081 -j NOTRACK');
  net.runOnRouter(untracked);
  // the outside host still routes to the inside network: the connection arrives untranslated
  assert.deepEqual(connectFrom(net.far, '10.200.107.2', 8081, 1, 1500), ['10.200.108.2']);
  // as on the internet, nothing outside routes back to the inside network
  ip('-n', net.client, 'route', 'del', '10.200.108.0/24');
  try {
    assert.deepEqual(connectFrom(net.far, '10.200.107.2', 8081, 1, 1500), ['timeout']);
    net.runOnRouter(masquerade);
    assert.deepEqual(connectFrom(net.far, '10.200.107.2', 8081, 1, 1500), ['10.200.107.1']);
    const fixed = applyFix(untracked, d.fixes![0]);
    assert.match(fixed, /^iptables -t raw -A PREROUTING -m addrtype --dst-type LOCAL -p tcp --dport 8081 -j NOTRACK$/m);
    assert.deepEqual(findings(fixed), []);
    assert.deepEqual(all(fixed).filter((x) => x.severity === 'error'), []);
    // the fixed NOTRACK still untracks what is for the router: counted in INPUT as UNTRACKED
    net.runOnRouter(`${fixed}iptables -A INPUT -p tcp --dport 8081 -m conntrack --ctstate UNTRACKED\n`);
    assert.deepEqual(connectFrom(net.far, '10.200.107.2', 8081, 1, 1500), ['10.200.107.1']);
    assert.deepEqual(connectFrom(net.far, '10.200.108.1', 8081, 1, 1500), ['ECONNREFUSED']);
    const counted = spawnSync('ip', ['netns', 'exec', net.router, 'iptables', '-S', 'INPUT', '-v'], { encoding: 'utf8' }).stdout;
    assert.match(counted, /--ctstate UNTRACKED -c [1-9]/);
  } finally {
    ip('-n', net.client, 'route', 'add', '10.200.108.0/24', 'via', net.pair.addrA);
  }
});

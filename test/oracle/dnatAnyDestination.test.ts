import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip, linkedNamespace, NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn, loadRules } from './tcpProbe.ts';

/**
 * dnat-any-destination against the kernel: a LAN client, a NAT router and an outside network
 * in three namespaces this test creates (client and router on 10.200.87.0/24, router and
 * outside on 10.200.88.0/24). Outside, 10.200.88.2 stands for a web server on the internet
 * and 10.200.88.3 for the server the router's port forward sends port 80 to. The client asks
 * the internet's server for port 80: with the DNAT the rule reports, the forward's server
 * answers instead; with the fix, the internet's server does, and the forward still works for
 * connections to the router's own address.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `dnat-any-destination in namespaces: ${missing}`);

const pair = new NamespacePair('any', '10.200.87.1', '10.200.87.2', 24);
const ROUTER = pair.a;
const CLIENT = pair.b;
const OUTSIDE = `any-o-${process.pid % 100000}`;
const DEV_R = `anyr${process.pid % 100000}`;
const DEV_O = `anyo${process.pid % 100000}`;
const services: ChildProcess[] = [];

before(async () => {
  if (skip) return;
  pair.create();
  linkedNamespace(ROUTER, OUTSIDE, { routerDev: DEV_R, dev: DEV_O, routerAddr: '10.200.88.1', addrs: ['10.200.88.2', '10.200.88.3'], prefix: 24 });
  ip('-n', CLIENT, 'route', 'add', '10.200.88.0/24', 'via', pair.addrA);
  services.push(await listenIn(OUTSIDE, '10.200.88.2', 80, 'internet'), await listenIn(OUTSIDE, '10.200.88.3', 8080, 'port forward'));
});

after(() => {
  for (const s of services) s.kill();
  spawnSync('ip', ['netns', 'del', OUTSIDE]);
  pair.destroy();
});

const rules = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.200.88.3:8080
-A POSTROUTING -o ${DEV_R} -j MASQUERADE
COMMIT
`;

test('a DNAT without a destination test takes the LAN\'s connections to any web server; the fix leaves them alone and keeps the forward', { skip, timeout: 60_000 }, () => {
  const found = new FirewallDocument(rules, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'dnat-any-destination');
  assert.equal(found.length, 1);
  assert.equal(rules.slice(found[0].span.start, found[0].span.end), '-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.200.88.3:8080');
  loadRules(ROUTER, rules);
  assert.deepEqual(connectFrom(CLIENT, '10.200.88.2', 80), ['port forward']);
  const fixed = applyFix(rules, found[0].fixes![0]);
  assert.deepEqual(new FirewallDocument(fixed, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'dnat-any-destination'), []);
  loadRules(ROUTER, fixed);
  assert.deepEqual(connectFrom(CLIENT, '10.200.88.2', 80), ['internet']);
  assert.deepEqual(connectFrom(CLIENT, pair.addrA, 80), ['port forward']);
});

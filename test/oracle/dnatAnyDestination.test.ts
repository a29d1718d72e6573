import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, loadRules } from './tcpProbe.ts';

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

const net = new RoutedNetworks('any', '10.200.87', '10.200.88', ['10.200.88.2', '10.200.88.3']);
const ROUTER = net.router;
const CLIENT = net.client;
const DEV_R = net.farDev;

net.forTests(skip, async () => {
  await net.serve('10.200.88.2', 80, 'internet');
  await net.serve('10.200.88.3', 8080, 'port forward');
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
  assert.deepEqual(connectFrom(CLIENT, net.pair.addrA, 80), ['port forward']);
});

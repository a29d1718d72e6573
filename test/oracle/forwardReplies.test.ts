import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * missing-established-rule in FORWARD against the kernel: a client on 10.200.121.0/24 behind a
 * router, a server on 10.200.122.0/24 (this test's own ranges), FORWARD's policy DROP and no
 * accept of ESTABLISHED. With accepts for both ways and no state test, as older router scripts
 * write them, the client's connection gets its answer and nothing is reported; with the way
 * back open to one port only, the answer is dropped where the product says so.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `forwarded replies in namespaces: ${missing}`);

const net = new RoutedNetworks('rep', '10.200.121', '10.200.122', ['10.200.122.2']);

net.forTests(skip, () => net.serve('10.200.122.2', 80, 'answered'));

const script = (back: string) =>
  [
    'sysctl -w net.ipv4.ip_forward=1',
    'iptables -F',
    'iptables -P FORWARD DROP',
    `iptables -A FORWARD -i ${net.pair.devA} -o ${net.farDev} -s 10.200.121.0/24 -j ACCEPT`,
    `iptables -A FORWARD -i ${net.farDev} -o ${net.pair.devA} -d 10.200.121.0/24 ${back}-j ACCEPT`,
    '',
  ].join('\n');

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'missing-established-rule');

test('FORWARD accepting both ways without a state test: the answer gets back, nothing reported', { skip, timeout: 60_000 }, () => {
  const text = script('');
  assert.deepEqual(findings(text), []);
  net.runOnRouter(text);
  assert.deepEqual(connectFrom(net.client, '10.200.122.2', 80, 1, 1500), ['answered']);
});

test('the way back open to port 22 only: the answer is dropped, the policy reported, the LAN\'s accept named', { skip, timeout: 60_000 }, () => {
  const text = script('-p tcp --dport 22 ');
  const [finding, ...more] = findings(text);
  assert.equal(more.length, 0);
  assert.equal(text.slice(finding.span.start, finding.span.end), 'DROP');
  assert.deepEqual(finding.related!.map((r) => text.slice(r.span.start, r.span.end)), [`iptables -A FORWARD -i ${net.pair.devA} -o ${net.farDev} -s 10.200.121.0/24 -j ACCEPT`]);
  net.runOnRouter(text);
  assert.deepEqual(connectFrom(net.client, '10.200.122.2', 80, 1, 1500), ['timeout']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { applyFix } from '../support/ruleTester.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * masquerade-without-forward-accept against the kernel: a client on 10.200.117.0/24 behind a
 * router, a server on 10.200.118.0/24 on its other side (this test's own ranges). The router
 * runs a script that masquerades the client's network out of the far side with FORWARD's
 * policy DROP: the client's connection times out where the product reports the MASQUERADE,
 * and gets through (seen from the server as the router's address) with the finding's fix.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `source NAT in namespaces: ${missing}`);

const net = new RoutedNetworks('msq', '10.200.117', '10.200.118', ['10.200.118.2']);

net.forTests(skip, () => net.servePeers('10.200.118.2', 80));

const script = () =>
  [
    'sysctl -w net.ipv4.ip_forward=1',
    'iptables -F',
    'iptables -t nat -F',
    'iptables -P FORWARD DROP',
    'iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    `iptables -t nat -A POSTROUTING -s 10.200.117.0/24 -o ${net.farDev} -j MASQUERADE`,
    '',
  ].join('\n');

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'masquerade-without-forward-accept');

test('a MASQUERADE whose network FORWARD drops: the connection times out and the rule is reported; with its fix, it goes out masqueraded', { skip, timeout: 60_000 }, () => {
  const text = script();
  const [finding, ...more] = findings(text);
  assert.equal(more.length, 0);
  assert.equal(text.slice(finding.span.start, finding.span.end), `iptables -t nat -A POSTROUTING -s 10.200.117.0/24 -o ${net.farDev} -j MASQUERADE`);
  net.runOnRouter(text);
  assert.deepEqual(connectFrom(net.client, '10.200.118.2', 80, 1, 1500), ['timeout']);
  const fixed = applyFix(text, finding.fixes![0]);
  assert.deepEqual(findings(fixed), []);
  net.runOnRouter(fixed);
  // the server sees the router's far address: the MASQUERADE now translates the connection
  assert.deepEqual(connectFrom(net.client, '10.200.118.2', 80, 1, 1500), ['10.200.118.1']);
});

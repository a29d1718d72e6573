import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip } from './namespacePair.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * masquerade-hides-clients against the kernel: a client on the router's outside
 * (10.200.103.0/24) and a server on its inside (10.200.104.0/24, this test's own ranges),
 * reached by a port forward of the router's outside address. The server answers each
 * connection with the address it comes from, as its logs see it. Behind a MASQUERADE without
 * `-o` it is the router's inside address; with the finding's quick fix, the client's own. A
 * server whose replies do not go back through the router needs the translation: why the
 * finding is information.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `source NAT of port forwards in namespaces: ${missing}`);

const net = new RoutedNetworks('mhc', '10.200.103', '10.200.104', ['10.200.104.2']);
const CLIENT = net.client;
const SERVER = net.far;
const OUTSIDE = net.pair.devA;

net.forTests(skip, () => net.servePeers('10.200.104.2', 8080));

const script = `iptables -t nat -F
iptables -t nat -A PREROUTING -i ${OUTSIDE} -p tcp --dport 80 -j DNAT --to-destination 10.200.104.2:8080
iptables -t nat -A POSTROUTING -j MASQUERADE
`;

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'masquerade-hides-clients');

test('a MASQUERADE without -o: reported, and the server sees the router; with the quick fix it sees the client', { skip, timeout: 60_000 }, () => {
  const [d, ...more] = findings(script);
  assert.equal(more.length, 0);
  assert.equal(script.slice(d.span.start, d.span.end), 'iptables -t nat -A POSTROUTING -j MASQUERADE');
  net.runOnRouter(script);
  assert.deepEqual(connectFrom(CLIENT, '10.200.103.1', 80, 1, 2000), ['10.200.104.1']);
  const fixed = applyFix(script, d.fixes![0]);
  assert.match(fixed, new RegExp(`^iptables -t nat -A POSTROUTING -o ${OUTSIDE} -j MASQUERADE$`, 'm'));
  assert.deepEqual(findings(fixed), []);
  net.runOnRouter(fixed);
  assert.deepEqual(connectFrom(CLIENT, '10.200.103.1', 80, 1, 2000), ['10.200.103.2']);
});

test('a server whose replies do not go back through the router answers only behind the translation (why the finding is information)', { skip, timeout: 60_000 }, () => {
  // the server knows its own network only: no way back to the client
  ip('-n', SERVER, 'route', 'del', 'default');
  try {
    net.runOnRouter(script);
    assert.deepEqual(connectFrom(CLIENT, '10.200.103.1', 80, 1, 2000), ['10.200.104.1']);
    net.runOnRouter(applyFix(script, findings(script)[0].fixes![0]));
    assert.deepEqual(connectFrom(CLIENT, '10.200.103.1', 80, 1, 1500), ['timeout']);
  } finally {
    ip('-n', SERVER, 'route', 'add', 'default', 'via', '10.200.104.1');
  }
});

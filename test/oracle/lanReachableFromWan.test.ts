import assert from 'node:assert/strict';
import { type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn } from './tcpProbe.ts';

/**
 * lan-reachable-from-wan against the kernel: a LAN host and a router on 10.200.103.0/24, a host
 * on the router's outside on 10.200.104.0/24 whose default route is the router (a neighbour on
 * the provider's segment). The router masquerades the LAN out and accepts its replies, but
 * its script sets FORWARD's policy to ACCEPT: the outside host opens a connection to the LAN
 * host's service.
 * With the quick fix it cannot, and the LAN still gets out. The same three also have IPv6
 * addresses, ULAs of this test's own (fd00:200:103::/64 inside, fd00:200:104::/64 outside),
 * for the router that forwards IPv6 without NAT.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `lan-reachable-from-wan in namespaces: ${missing}`);

const net = new RoutedNetworks('lrw', '10.200.103', '10.200.104', ['10.200.104.2']);
const WAN = net.farDev;
const LAN = net.pair.devA;
const services: ChildProcess[] = [];
const V6 = net.v6;

before(async () => {
  if (skip) return;
  net.create();
  await net.serve('10.200.104.2', 8080, 'outside');
  services.push(await listenIn(net.client, '0.0.0.0', 8445, 'lan-files'));
  net.addIpv6();
  services.push(await listenIn(net.client, V6.lanHost, 8446, 'lan-files-v6'), await listenIn(net.far, V6.outside, 8081, 'outside-v6'));
});

after(() => {
  if (skip) return;
  for (const s of services) s.kill();
  net.destroy();
});

const script = `iptables -F FORWARD
iptables -t nat -F POSTROUTING
iptables -P FORWARD ACCEPT
iptables -A FORWARD -i ${LAN} -o ${WAN} -j ACCEPT
iptables -A FORWARD -i ${WAN} -o ${LAN} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -t nat -A POSTROUTING -s 10.200.103.0/24 -o ${WAN} -j MASQUERADE
`;

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'lan-reachable-from-wan');

test('a NAT router with FORWARD open: the outside reaches the LAN host; with the fix it does not, and the LAN still gets out', { skip, timeout: 60_000 }, () => {
  const [d, ...more] = findings(script);
  assert.ok(d, 'reported');
  assert.equal(more.length, 0);
  net.runOnRouter(script);
  assert.deepEqual(connectFrom(net.far, '10.200.103.2', 8445, 1, 1500), ['lan-files'], 'the outside host reaches the LAN');
  assert.deepEqual(connectFrom(net.client, '10.200.104.2', 8080, 1, 1500), ['outside'], 'the LAN gets out');
  const fixed = applyFix(script, d.fixes![0]);
  assert.deepEqual(findings(fixed), []);
  net.runOnRouter(fixed);
  assert.deepEqual(connectFrom(net.far, '10.200.103.2', 8445, 1, 1500), ['timeout'], 'with the fix the outside does not');
  assert.deepEqual(connectFrom(net.client, '10.200.104.2', 8080, 1, 1500), ['outside'], 'and the LAN still gets out');
});

test('the same router forwarding IPv6 without closing ip6tables FORWARD: the outside reaches the LAN host over IPv6; with the fix it does not, and the LAN still gets out', { skip, timeout: 60_000 }, () => {
  const dualStack = `sysctl -qw net.ipv6.conf.all.forwarding=1
${script.replace('iptables -P FORWARD ACCEPT', 'iptables -P FORWARD DROP')}ip6tables -F FORWARD
ip6tables -A FORWARD -i ${LAN} -o ${WAN} -j ACCEPT
ip6tables -A FORWARD -i ${WAN} -o ${LAN} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
`;
  const [d, ...more] = findings(dualStack);
  assert.ok(d, 'reported');
  assert.equal(more.length, 0, 'IPv4 is closed');
  assert.equal(dualStack.slice(d.span.start, d.span.end), 'net.ipv6.conf.all.forwarding=1', 'ip6tables\' FORWARD policy is never set: the finding is on the forwarding');
  net.runOnRouter(dualStack);
  assert.deepEqual(connectFrom(net.far, '10.200.103.2', 8445, 1, 1500), ['timeout'], 'IPv4 from the outside is dropped');
  assert.deepEqual(connectFrom(net.far, V6.lanHost, 8446, 1, 1500), ['lan-files-v6'], 'IPv6 from the outside reaches the LAN host');
  const fixed = applyFix(dualStack, d.fixes![0]);
  assert.deepEqual(findings(fixed), []);
  net.runOnRouter(fixed);
  assert.deepEqual(connectFrom(net.far, V6.lanHost, 8446, 1, 1500), ['timeout'], 'with the fix it does not');
  assert.deepEqual(connectFrom(net.client, V6.outside, 8081, 1, 1500), ['outside-v6'], 'and the LAN still gets out over IPv6');
  // the policy set to DROP instead: nothing to report
  const closed = dualStack.replace('ip6tables -F FORWARD\n', 'ip6tables -F FORWARD\nip6tables -P FORWARD DROP\n');
  assert.deepEqual(findings(closed), []);
  net.runOnRouter(closed);
  assert.deepEqual(connectFrom(net.far, V6.lanHost, 8446, 1, 1500), ['timeout']);
});

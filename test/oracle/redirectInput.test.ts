import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip, NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn } from './tcpProbe.ts';

/**
 * redirect-without-input-accept against the kernel: a router and a LAN client in namespaces
 * this test creates, on 10.200.131.0/24; the client reaches 10.200.132.0/24 (this test's own,
 * with no host in it) through the router, whose nat PREROUTING redirects the LAN's port 80 to
 * a proxy on the router's port 3128. With INPUT dropping by default and accepting SSH from the
 * LAN, the client's connection to a web server out there never reaches the proxy, where the
 * product says so; with the finding's fix (port 3128 accepted for connections the NAT changed)
 * the proxy answers, and a connection made to port 3128 directly is still dropped.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `REDIRECT to the router in namespaces: ${missing}`);

const pair = new NamespacePair('rdr', '10.200.131.1', '10.200.131.2', 24);
const WEB = '10.200.132.80';
let proxy: ChildProcess | undefined;

before(async () => {
  if (skip) return;
  pair.create();
  ip('-n', pair.b, 'route', 'add', '10.200.132.0/24', 'via', pair.addrA);
  proxy = await listenIn(pair.a, '0.0.0.0', 3128, 'proxy');
});
after(() => {
  proxy?.kill();
  if (!skip) pair.destroy();
});

const script = [
  'iptables -F',
  'iptables -t nat -F',
  'iptables -P INPUT DROP',
  'iptables -A INPUT -i lo -j ACCEPT',
  'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
  `iptables -A INPUT -i ${pair.devA} -p tcp --dport 22 -j ACCEPT`,
  `iptables -t nat -A PREROUTING -i ${pair.devA} -p tcp --dport 80 -j REDIRECT --to-ports 3128`,
  '',
].join('\n');

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'redirect-without-input-accept');

function runOnRouter(text: string): void {
  const r = spawnSync('ip', ['netns', 'exec', pair.a, 'sh', '-e', '-c', text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('a transparent proxy whose port INPUT drops: the LAN\'s web connections time out, and the REDIRECT is reported', { skip, timeout: 60_000 }, () => {
  const found = findings(script);
  assert.deepEqual(found.map((d) => script.slice(d.span.start, d.span.end)), [`iptables -t nat -A PREROUTING -i ${pair.devA} -p tcp --dport 80 -j REDIRECT --to-ports 3128`]);
  runOnRouter(script);
  assert.deepEqual(connectFrom(pair.b, WEB, 80), ['timeout']);
});

test('with the fix the proxy answers the redirected connection, and port 3128 stays closed to direct ones; nothing reported', { skip, timeout: 60_000 }, () => {
  const fixed = applyFix(script, findings(script)[0].fixes![0]);
  assert.match(fixed, /-I INPUT -i \S+ -p tcp --dport 3128 -m conntrack --ctstate DNAT -j ACCEPT/);
  assert.deepEqual(findings(fixed), []);
  runOnRouter(fixed);
  assert.deepEqual(connectFrom(pair.b, WEB, 80), ['proxy']);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 3128), ['timeout']);
});

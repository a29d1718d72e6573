import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * untracked-skips-nat against the kernel: a client outside a router (10.200.107.0/24) and a
 * server inside it (10.200.108.0/24, this test's own ranges), reached by a port forward of the
 * router's outside address. Once raw untracks the forwarded port, the connection never reaches
 * the server: nothing on the router answers port 80, which refuses it.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `untracked port forwards in namespaces: ${missing}`);

const net = new RoutedNetworks('usn', '10.200.107', '10.200.108', ['10.200.108.2']);
const OUTSIDE = net.pair.devA;

before(async () => {
  if (skip) return;
  net.create();
  await net.serve('10.200.108.2', 8080, 'server');
});

after(() => {
  if (!skip) net.destroy();
});

const forward = `iptables -t raw -F
iptables -t nat -F
iptables -t nat -A PREROUTING -i ${OUTSIDE} -p tcp --dport 80 -j DNAT --to-destination 10.200.108.2:8080
`;

function run(text: string): void {
  const r = spawnSync('ip', ['netns', 'exec', net.router, 'sh', '-e', '-c', text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'untracked-skips-nat');

test('the forwarded port untracked: reported, and the connection never reaches the server; tracked, it does', { skip, timeout: 60_000 }, () => {
  const untracked = `${forward}iptables -t raw -A PREROUTING -p tcp --dport 80 -j NOTRACK\n`;
  const [d, ...more] = findings(untracked);
  assert.equal(more.length, 0);
  assert.equal(untracked.slice(d.span.start, d.span.end), 'iptables -t raw -A PREROUTING -p tcp --dport 80 -j NOTRACK');
  run(untracked);
  assert.deepEqual(connectFrom(net.client, '10.200.107.1', 80, 1, 1500), ['ECONNREFUSED']);
  assert.deepEqual(findings(forward), []);
  run(forward);
  assert.deepEqual(connectFrom(net.client, '10.200.107.1', 80, 1, 1500), ['server']);
});

import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { linkedNamespace, NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn, loadRules } from './tcpProbe.ts';
import { savedCounters } from '../support/savedCounters.ts';

/**
 * dnat-bypasses-block and missing-established-rule's DOCKER-USER case against the kernel: a client, a router and a server in three
 * namespaces this test creates (client and router on 10.200.78.0/24, router and server on
 * 10.200.79.0/24). The router loads Docker-shaped rules: a DNAT of port 8080 to the server and
 * an INPUT rule that drops port 8080. Where the rule says the INPUT rule never sees those
 * connections, the client must reach the server and the INPUT rule's counter must stay at 0;
 * with the fix applied, the connection must fail. The same for a rule in DOCKER-USER that
 * names the published port: FORWARD sees the server's port. And a DOCKER-USER rule that drops
 * whatever arrives from the client's side: the server's own connection to the client must
 * time out where the rule says its replies are dropped, and connect with the fix.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `DNAT past INPUT in namespaces: ${missing}`);

const pair = new NamespacePair('byp', '10.200.78.1', '10.200.78.2', 24);
const ROUTER = pair.a;
const CLIENT = pair.b;
const SERVER = `byp-s-${process.pid % 100000}`;
const SERVER_ADDR = '10.200.79.2';
/** The router's veth towards the server; the one towards the client is pair.devA. */
const DEV_R = `bypr${process.pid % 100000}`;
const DEV_S = `byps${process.pid % 100000}`;
let server: ChildProcess | undefined;
let outside: ChildProcess | undefined;

before(async () => {
  if (skip) return;
  pair.create();
  linkedNamespace(ROUTER, SERVER, { routerDev: DEV_R, dev: DEV_S, routerAddr: '10.200.79.1', addrs: [SERVER_ADDR], prefix: 24 });
  server = await listenIn(SERVER, SERVER_ADDR, 9090, 'served');
  outside = await listenIn(CLIENT, pair.addrB, 9091, 'outside');
});

after(() => {
  server?.kill();
  outside?.kill();
  spawnSync('ip', ['netns', 'del', SERVER]);
  pair.destroy();
});

/**
 * Loads `rules` into the router and connects from `from` (the client, by default to the
 * router's port 8080): what the connecting side read, or why it failed.
 */
function connectThrough(rules: string, from = CLIENT, addr = pair.addrA, port = 8080): string {
  loadRules(ROUTER, rules);
  return connectFrom(from, addr, port)[0];
}

/** Packets counted by the router's rule that drops port 8080 (or `ports`) in `chain`. */
function dropCount(chain = 'INPUT', ports = '8080'): number {
  const saved = spawnSync('ip', ['netns', 'exec', ROUTER, 'iptables-save', '-c', '-t', 'filter'], { encoding: 'utf8' }).stdout;
  const rule = savedCounters(saved).rules.find((r) => r.text === `-A ${chain} -p tcp -m tcp --dport ${ports} -j DROP`);
  assert.ok(rule, saved);
  return rule.packets;
}

const router = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:DOCKER - [0:0]
-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
-A POSTROUTING -o ${pair.devA} -j MASQUERADE
-A DOCKER -i docker0 -j RETURN
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${SERVER_ADDR}:9090
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER-USER - [0:0]
-A INPUT -p tcp --dport 8080 -j DROP
-A FORWARD -j DOCKER-USER
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -d ${SERVER_ADDR}/32 -p tcp -m tcp --dport 9090 -j ACCEPT
-A FORWARD -i ${DEV_R} ! -o ${DEV_R} -j ACCEPT
-A DOCKER-USER -j RETURN
COMMIT
`;

const findings = (text: string) => new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'dnat-bypasses-block');

test('a port DNAT publishes is not closed by INPUT: the reported rule never counts a packet, the fix closes it', { skip, timeout: 60_000 }, () => {
  const found = findings(router);
  assert.equal(found.length, 1);
  assert.equal(router.slice(found[0].span.start, found[0].span.end), '-A INPUT -p tcp --dport 8080 -j DROP');
  assert.equal(connectThrough(router), 'served', 'the client reaches the server past the INPUT drop');
  assert.equal(dropCount(), 0, 'the INPUT rule never saw the connection');
  const fixed = applyFix(router, found[0].fixes![0]);
  assert.equal(connectThrough(fixed), 'timeout', 'the block in DOCKER-USER drops it');
});

test('without the DNAT the INPUT rule closes the port and nothing is reported', { skip, timeout: 60_000 }, () => {
  const plain = router.replace(/^-A DOCKER ! -i docker0 .*\n/m, '');
  assert.deepEqual(findings(plain), []);
  assert.equal(connectThrough(plain), 'timeout');
  assert.ok(dropCount() > 0, 'the INPUT rule dropped the connection');
});

for (const ports of ['8080', '8000:8100']) {
  test(`DOCKER-USER sees the port after DNAT: a rule naming the published port (--dport ${ports}) never counts a packet, the fix matches the original port`, { skip, timeout: 60_000 }, () => {
    const user = router.replace(/^-A INPUT .*\n/m, '').replace('-A DOCKER-USER -j RETURN', `-A DOCKER-USER -p tcp --dport ${ports} -j DROP\n-A DOCKER-USER -j RETURN`);
    const found = findings(user);
    assert.equal(found.length, 1);
    assert.equal(user.slice(found[0].span.start, found[0].span.end), `-A DOCKER-USER -p tcp --dport ${ports} -j DROP`);
    assert.equal(connectThrough(user), 'served', 'the client reaches the server past the DOCKER-USER drop');
    assert.equal(dropCount('DOCKER-USER', ports), 0, 'the DOCKER-USER rule never matched the connection');
    const fixed = applyFix(user, found[0].fixes![0]);
    assert.deepEqual(findings(fixed), []);
    assert.equal(connectThrough(fixed), 'timeout', 'matched by its original port, it is dropped');
  });
}

for (const tests of [`-i ${pair.devA}`, `-i ${pair.devA} -o ${DEV_R}`]) {
  test(`a DOCKER-USER drop (${tests}) of what arrives from outside also drops the replies to the server's own connections; the fix accepts them first`, { skip, timeout: 60_000 }, () => {
    const closed = router.replace(/^-A INPUT .*\n/m, '').replace('-A DOCKER-USER -j RETURN', `-A DOCKER-USER ${tests} -j DROP\n-A DOCKER-USER -j RETURN`);
    const early = (text: string) => new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-established-rule');
    const found = early(closed);
    assert.equal(found.length, 1);
    assert.equal(closed.slice(found[0].span.start, found[0].span.end), `-A DOCKER-USER ${tests} -j DROP`);
    assert.equal(connectThrough(closed, SERVER, pair.addrB, 9091), 'timeout', 'the replies from outside are dropped');
    const fixed = applyFix(closed, found[0].fixes![0]);
    assert.deepEqual(early(fixed), []);
    assert.equal(connectThrough(fixed, SERVER, pair.addrB, 9091), 'outside', 'with the replies accepted first, the server reaches outside');
    assert.equal(connectThrough(fixed), 'timeout', 'and the published port stays closed to the outside');
  });
}

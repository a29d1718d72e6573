import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { tracePacket } from '../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../server/src/core/simulate/packet.ts';
import { requirement } from '../support/paths.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * The trace's routing decision against the kernel: a client and a router on 10.200.96.0/24, a
 * server behind the router on 10.200.97.0/24 (this test's own ranges). The script's forwarding
 * setting is run in the router: set to 0, the client's connection to the server times out and
 * the router's FORWARD chain never sees it (its accept counts nothing), as the trace says
 * (dropped by routing before FORWARD); set to 1, the server answers and the trace goes on.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `forwarding in namespaces: ${missing}`);

const net = new RoutedNetworks('fwd', '10.200.96', '10.200.97', ['10.200.97.2']);
const ROUTER = net.router;
const CLIENT = net.client;

net.forTests(skip, () => net.serve('10.200.97.2', 8080, 'server'));

const script = (value: string) => `sysctl -w net.ipv4.ip_forward=${value}\niptables -F FORWARD\niptables -A FORWARD -j ACCEPT\n`;
const packet = parsePacketSpec(`in=${net.pair.devA} proto=tcp src=10.200.96.2 dst=10.200.97.2 dport=8080 local=10.200.96.1`).packet!;

/** Runs the script in the router; the packets its FORWARD accept has counted since. */
function run(text: string): () => number {
  net.runOnRouter(text);
  return () => {
    const list = spawnSync('ip', ['netns', 'exec', ROUTER, 'iptables', '-L', 'FORWARD', '-v', '-n', '-x'], { encoding: 'utf8' });
    return Number(/^\s*(\d+)\s+\d+\s+ACCEPT/m.exec(list.stdout)?.[1]);
  };
}

test('forwarding set to 0: the trace drops the packet at routing, and the kernel never shows it to FORWARD', { skip, timeout: 60_000 }, () => {
  const [o, ...more] = tracePacket(new FirewallDocument(script('0'), { dialect: 'script' }).ruleSet, packet);
  assert.equal(more.length, 0);
  assert.deepEqual([o.verdict, o.hooks], ['DROP', ['PREROUTING']]);
  const counted = run(script('0'));
  assert.deepEqual(connectFrom(CLIENT, '10.200.97.2', 8080, 1, 1500), ['timeout']);
  assert.equal(counted(), 0);
});

test('forwarding set to 1: the trace goes through FORWARD, and so does the connection', { skip, timeout: 60_000 }, () => {
  const [o] = tracePacket(new FirewallDocument(script('1'), { dialect: 'script' }).ruleSet, packet);
  assert.deepEqual([o.verdict, o.hooks, o.routing], ['ACCEPT', ['PREROUTING', 'FORWARD', 'POSTROUTING'], undefined]);
  const counted = run(script('1'));
  assert.deepEqual(connectFrom(CLIENT, '10.200.97.2', 8080, 1, 1500), ['server']);
  assert.ok(counted() > 0);
});

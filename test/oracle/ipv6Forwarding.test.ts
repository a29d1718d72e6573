import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { definiteVerdict, tracePacket } from '../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../server/src/core/simulate/packet.ts';
import { requirement } from '../support/paths.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn } from './tcpProbe.ts';

/**
 * The trace of forwarded IPv6 connections against the kernel: a router between an inside link
 * (fd00:200:111::/64, the router ::1, a host ::2) and an outside one (fd00:200:112::/64, the
 * router ::1, a host ::2), ULAs of this test's own beside its IPv4 ranges (10.200.111.0/24,
 * 10.200.112.0/24). Each rule set is loaded with ip6tables-restore; the outside host connects to
 * the inside host's service, and what it gets (the service's answer, a refusal, silence) must
 * be the trace's verdict, its networks by prefix and by mask, its DNAT, its REJECT.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `IPv6 forwarding in namespaces: ${missing}`);

const net = new RoutedNetworks('v6f', '10.200.111', '10.200.112', ['10.200.112.2']);
const WAN = net.farDev;
const V6 = net.v6;
const services: ChildProcess[] = [];

before(async () => {
  if (skip) return;
  net.create();
  net.addIpv6();
  const on = spawnSync('ip', ['netns', 'exec', net.router, 'sysctl', '-qw', 'net.ipv6.conf.all.forwarding=1'], { encoding: 'utf8' });
  assert.equal(on.status, 0, on.stderr);
  services.push(await listenIn(net.client, V6.lanHost, 8446, 'inside'));
  // neighbour discovery on both links before any rule: a first connection waits for it
  assert.deepEqual(connectFrom(net.far, V6.lanHost, 8446, 1, 5000), ['inside'], 'routed without rules');
});

after(() => {
  if (skip) return;
  for (const s of services) s.kill();
  net.destroy();
});

const table = (nat: string, forward: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${nat}COMMIT\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n${forward}COMMIT\n`;

const CASES: { name: string; rules: string; dport: number }[] = [
  { name: 'an accept of the inside /64', rules: table('', `-A FORWARD -d fd00:200:111::/64 -p tcp --dport 8446 -j ACCEPT\n`), dport: 8446 },
  { name: 'an accept of the inside by a mask written as an address', rules: table('', `-A FORWARD -d fd00:200:111::/ffff:ffff:ffff:ffff:: -p tcp --dport 8446 -j ACCEPT\n`), dport: 8446 },
  { name: 'an accept of another /64 only: the policy drops', rules: table('', `-A FORWARD -d fd00:200:113::/64 -p tcp --dport 8446 -j ACCEPT\n`), dport: 8446 },
  { name: 'a reset for the outside /48 before the accept', rules: table('', `-A FORWARD -s FD00:200:112:0::/48 -p tcp -j REJECT --reject-with tcp-reset\n-A FORWARD -d fd00:200:111::/64 -j ACCEPT\n`), dport: 8446 },
  { name: 'a drop of every source but the outside host, then the accept', rules: table('', `-A FORWARD ! -s fd00:200:112::2 -j DROP\n-A FORWARD -d fd00:200:111::2/128 -j ACCEPT\n`), dport: 8446 },
  { name: 'a port forward to the inside host', rules: table(`-A PREROUTING -i ${WAN} -p tcp --dport 9446 -j DNAT --to-destination [fd00:200:111::2]:8446\n`, `-A FORWARD -d fd00:200:111::2 -p tcp --dport 8446 -j ACCEPT\n`), dport: 9446 },
  { name: 'a port forward FORWARD accepts by its public port (the mistake)', rules: table(`-A PREROUTING -i ${WAN} -p tcp --dport 9446 -j DNAT --to-destination [fd00:200:111::2]:8446\n`, `-A FORWARD -p tcp --dport 9446 -j ACCEPT\n`), dport: 9446 },
];

test(`the trace of IPv6 forwarded connections agrees with the kernel (${CASES.length} rule sets)`, { skip, timeout: 120_000 }, () => {
  const rows: string[] = [];
  for (const c of CASES) {
    const load = spawnSync('ip', ['netns', 'exec', net.router, 'ip6tables-restore'], { input: c.rules, encoding: 'utf8' });
    assert.equal(load.status, 0, load.stderr);
    spawnSync('ip', ['netns', 'exec', net.router, 'conntrack', '-F', '-f', 'ipv6']);
    // the destination the outside host connects to: the inside host, or the router for a port forward
    const dst = c.dport === 8446 ? V6.lanHost : V6.wanRouter;
    const [got] = connectFrom(net.far, dst, c.dport, 1, 1500);
    const kernel = got === 'inside' ? 'ACCEPT' : got === 'ECONNREFUSED' ? 'REJECT' : got === 'timeout' ? 'DROP' : got;
    const rs = new FirewallDocument(c.rules, { dialect: 'save', family: 'ipv6' }).ruleSet;
    const spec = `in=${WAN} proto=tcp src=${V6.outside} sport=40000 dst=${dst} dport=${c.dport} local=${V6.wanRouter},${V6.lanRouter}`;
    const ours = definiteVerdict(tracePacket(rs, parsePacketSpec(spec).packet!)) ?? 'UNCERTAIN';
    rows.push(`${ours === kernel ? '✓' : '✗'} ${c.name}: trace ${ours}, kernel ${kernel}`);
  }
  console.log(rows.join('\n'));
  assert.ok(rows.every((r) => r.startsWith('✓')), rows.join('\n'));
  // the kernel gave each answer at least once
  assert.deepEqual(new Set(rows.map((r) => /kernel (\w+)/.exec(r)![1])), new Set(['ACCEPT', 'DROP', 'REJECT']));
});

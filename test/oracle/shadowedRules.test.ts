import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { tracePacket } from '../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../server/src/core/simulate/packet.ts';
import { requirement } from '../support/paths.ts';
import { ip, NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn, loadRules } from './tcpProbe.ts';

/**
 * shadowed-rule against the kernel: a connection gets one translation per chain, the first
 * rule's, and none from the rules after a RETURN that takes it; a rule after a DROP that covers
 * it counts no packet. Namespace a runs the rules and services (10.200.89.1, and .3 for SNAT), b is a
 * client on the same link (10.200.89.2); the range is this test's own, and so is the ULA
 * fd00:200:89::/48 both also have on the link (b with addresses in three of its networks).
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `shadowed rules in namespaces: ${missing}`);

const pair = new NamespacePair('ns', '10.200.89.1', '10.200.89.2', 24);
const services: ChildProcess[] = [];
/** a's IPv6 address and b's: one in fd00:200:89::/56, one past it, one in fd00:200:89:8000::/49. */
const V6 = { a: 'fd00:200:89::1', near: 'fd00:200:89::2', far: 'fd00:200:89:100::2', blocked: 'fd00:200:89:8000::2' } as const;

before(async () => {
  if (skip) return;
  pair.create();
  ip('-n', pair.a, 'addr', 'add', '10.200.89.3/24', 'dev', pair.devA);
  ip('-n', pair.a, 'addr', 'add', `${V6.a}/48`, 'dev', pair.devA, 'nodad');
  for (const b of [V6.near, V6.far, V6.blocked]) ip('-n', pair.b, 'addr', 'add', `${b}/48`, 'dev', pair.devB, 'nodad');
  services.push(
    await listenIn(pair.a, pair.addrA, 8081, 'first server'),
    await listenIn(pair.a, pair.addrA, 8082, 'second server'),
    await listenIn(pair.a, pair.addrA, 4443, 'untranslated'),
    await listenIn(pair.a, pair.addrA, 8443, 'redirected'),
    await listenIn(pair.a, V6.a, 8090, 'v6 server'),
  );
  // in b, a service that answers with the address the connection came from
  const peer = spawn('ip', ['netns', 'exec', pair.b, process.execPath, '-e', `require('node:net').createServer((c) => c.end(c.remoteAddress)).listen(9000, '${pair.addrB}', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => peer.stdout!.once('data', () => resolve()));
  services.push(peer);
});

after(() => {
  for (const s of services) s.kill();
  pair.destroy();
});

/** The shadowed-rule and redundant-rule findings of a dump, as [code, line text]. */
function findings(text: string, family?: 'ipv6'): [string, string][] {
  const doc = new FirewallDocument(text, { dialect: 'save', family });
  return doc
    .diagnostics()
    .filter((d) => d.code === 'shadowed-rule' || d.code === 'redundant-rule')
    .map((d) => [d.code, text.slice(d.span.start, d.span.end)]);
}

test('one port forwarded to two servers: every connection goes to the first, the second DNAT is reported', { skip, timeout: 60_000 }, () => {
  const second = `-A PREROUTING -i ${pair.devA} -p tcp -m tcp --dport 8080 -j DNAT --to-destination ${pair.addrA}:8082`;
  const rules = `*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i ${pair.devA} -p tcp --dport 8080 -j DNAT --to-destination ${pair.addrA}:8081\n${second}\nCOMMIT\n`;
  assert.deepEqual(findings(rules), [['shadowed-rule', second]]);
  loadRules(pair.a, rules);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 4, 1500), ['first server', 'first server', 'first server', 'first server']);
});

test('ACCEPT in nat PREROUTING leaves the connection untranslated: the REDIRECT after it is reported', { skip, timeout: 60_000 }, () => {
  const redirect = `-A PREROUTING -i ${pair.devA} -p tcp --dport 4443 -j REDIRECT --to-ports 8443`;
  const rules = `*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 4443 -j ACCEPT\n${redirect}\nCOMMIT\n`;
  assert.deepEqual(findings(rules), [['shadowed-rule', redirect]]);
  loadRules(pair.a, rules);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 4443, 1, 1500), ['untranslated']);
  // and without the ACCEPT the REDIRECT does apply
  loadRules(pair.a, `*nat\n:PREROUTING ACCEPT [0:0]\n${redirect}\nCOMMIT\n`);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 4443, 1, 1500), ['redirected']);
});

test('MASQUERADE, then SNAT for some of the same connections: the SNAT is reported and never applies', { skip, timeout: 60_000 }, () => {
  const snat = `-A POSTROUTING -o ${pair.devA} -p tcp --dport 9000 -j SNAT --to-source 10.200.89.3`;
  const rules = `*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o ${pair.devA} -j MASQUERADE\n${snat}\nCOMMIT\n`;
  assert.deepEqual(findings(rules), [['shadowed-rule', snat]]);
  loadRules(pair.a, rules);
  assert.deepEqual(connectFrom(pair.a, pair.addrB, 9000, 1, 1500), [pair.addrA]);
  // in the other order the SNAT takes these connections
  loadRules(pair.a, `*nat\n:POSTROUTING ACCEPT [0:0]\n${snat}\n-A POSTROUTING -o ${pair.devA} -j MASQUERADE\nCOMMIT\n`);
  assert.deepEqual(connectFrom(pair.a, pair.addrB, 9000, 1, 1500), ['10.200.89.3']);
});

test('RETURN for the network of the client, then a port forward for the client: the DNAT is reported and never applies', { skip, timeout: 60_000 }, () => {
  const dnat = `-A FORWARDS -s ${pair.addrB}/32 -p tcp --dport 8080 -j DNAT --to-destination ${pair.addrA}:8081`;
  const rules = `*nat\n:PREROUTING ACCEPT [0:0]\n:FORWARDS - [0:0]\n-A PREROUTING -j FORWARDS\n-A FORWARDS -s 10.200.89.0/24 -j RETURN\n${dnat}\nCOMMIT\n`;
  assert.deepEqual(findings(rules), [['shadowed-rule', dnat]]);
  loadRules(pair.a, rules);
  // nothing listens on 8080 itself
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['ECONNREFUSED']);
  loadRules(pair.a, rules.replace('-s 10.200.89.0/24', '-s 10.200.90.0/24'));
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 8080, 1, 1500), ['first server']);
});

test('the same MASQUERADE twice is redundant: the second changes nothing', { skip }, () => {
  const again = `-A POSTROUTING -o ${pair.devA} -j MASQUERADE`;
  assert.deepEqual(findings(`*nat\n:POSTROUTING ACCEPT [0:0]\n${again}\n${again}\nCOMMIT\n`), [['redundant-rule', again]]);
});

/** The packet counters of the filter rules in namespace `ns`, by rule line as iptables-save (or ip6tables-save) writes it. */
function counters(ns: string, save = 'iptables-save'): Map<string, number> {
  const r = spawnSync('ip', ['netns', 'exec', ns, save, '-c', '-t', 'filter'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = new Map<string, number>();
  for (const m of r.stdout.matchAll(/^\[(\d+):\d+\] (-A .*)$/gm)) out.set(m[2], Number(m[1]));
  return out;
}

test('a LOG after the DROP it was meant to record is reported and counts no packet; before it, it counts them', { skip, timeout: 60_000 }, () => {
  const drop = `-A INPUT -s ${pair.addrB}/32 -p tcp -m tcp --dport 7000 -j DROP`;
  const log = `-A INPUT -s ${pair.addrB}/32 -p tcp -m tcp --dport 7000 -j LOG --log-prefix "blocked: "`;
  const rules = `*filter\n:INPUT ACCEPT [0:0]\n${drop}\n${log}\nCOMMIT\n`;
  assert.deepEqual(findings(rules), [['shadowed-rule', log]]);
  loadRules(pair.a, rules);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 7000, 1, 1500), ['timeout']);
  let seen = counters(pair.a);
  assert.ok(seen.get(drop)! > 0, `${[...seen]}`);
  assert.equal(seen.get(log), 0);
  loadRules(pair.a, `*filter\n:INPUT ACCEPT [0:0]\n${log}\n${drop}\nCOMMIT\n`);
  assert.deepEqual(findings(`*filter\n:INPUT ACCEPT [0:0]\n${log}\n${drop}\nCOMMIT\n`), []);
  assert.deepEqual(connectFrom(pair.b, pair.addrA, 7000, 1, 1500), ['timeout']);
  seen = counters(pair.a);
  assert.ok(seen.get(log)! > 0, `${[...seen]}`);
  // the filter table back to empty for the other tests
  loadRules(pair.a, '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
});

// in INPUT itself, and inside a user chain INPUT jumps to (a chain for the WAN side)
for (const { chain, port, declare, enter } of [
  { chain: 'INPUT', port: 7001, declare: '', enter: '' },
  { chain: 'wan-in', port: 7002, declare: ':wan-in - [0:0]\n', enter: '-A INPUT -j wan-in\n' },
]) {
  test(`an accept after a jump to a log-and-drop chain that covers it, in ${chain}, is reported and counts no packet`, { skip, timeout: 60_000 }, () => {
    const jump = `-A ${chain} -s ${pair.addrB}/32 -p tcp -m tcp --dport ${port} -j LOGDROP`;
    const accept = `-A ${chain} -s ${pair.addrB}/32 -p tcp -m tcp --dport ${port} -j ACCEPT`;
    const rules = `*filter\n:INPUT ACCEPT [0:0]\n:LOGDROP - [0:0]\n${declare}-A INPUT -i lo -j ACCEPT\n${enter}${jump}\n${accept}\n-A LOGDROP -j LOG --log-prefix "dropped: "\n-A LOGDROP -j DROP\nCOMMIT\n`;
    assert.deepEqual(findings(rules), [['shadowed-rule', accept]]);
    loadRules(pair.a, rules);
    assert.deepEqual(connectFrom(pair.b, pair.addrA, port, 1, 1500), ['timeout']);
    const seen = counters(pair.a);
    assert.ok(seen.get(jump)! > 0, `${[...seen]}`);
    assert.equal(seen.get(accept), 0);
    loadRules(pair.a, '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
  });
}

test('IPv6 networks by prefix and by mask: the trace agrees with the kernel inside and outside them, and the accept a /49 drop covers counts no packet', { skip, timeout: 60_000 }, () => {
  const drop = '-A INPUT -s fd00:200:89:8000::/49 -p tcp -m tcp --dport 8090 -j DROP';
  const hidden = '-A INPUT -s fd00:200:89:8000::2/128 -p tcp -m tcp --dport 8090 -j ACCEPT';
  const byMask = '-A INPUT -s fd00:200:89::/ffff:ffff:ffff:ff00:: -p tcp -m tcp --dport 8090 -j ACCEPT';
  const again = '-A INPUT -s FD00:200:89:0::/56 -p tcp -m tcp --dport 8090 -j ACCEPT';
  const reset = '-A INPUT -p tcp -m tcp --dport 8090 -j REJECT --reject-with tcp-reset';
  const rules = `*filter\n:INPUT ACCEPT [0:0]\n${[drop, hidden, byMask, again, reset].join('\n')}\nCOMMIT\n`;
  assert.deepEqual(findings(rules, 'ipv6'), [['shadowed-rule', hidden], ['redundant-rule', again]]);
  const rs = new FirewallDocument(rules, { dialect: 'save', family: 'ipv6' }).ruleSet;
  const clients = { near: V6.near, far: V6.far, blocked: V6.blocked };
  const traced = Object.fromEntries(Object.entries(clients).map(([k, src]) => [k, tracePacket(rs, parsePacketSpec(`family=ipv6 in=${pair.devA} proto=tcp src=${src} dst=${V6.a} dport=8090 local=${V6.a}`).packet!)[0].verdict]));
  assert.deepEqual(traced, { near: 'ACCEPT', far: 'REJECT', blocked: 'DROP' });
  const load = spawnSync('ip', ['netns', 'exec', pair.a, 'ip6tables-restore'], { input: rules, encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  const seenBy = Object.fromEntries(Object.entries(clients).map(([k, src]) => [k, connectFrom(pair.b, V6.a, 8090, 1, 1500, undefined, src)[0]]));
  assert.deepEqual(seenBy, { near: 'v6 server', far: 'ECONNREFUSED', blocked: 'timeout' });
  const seen = counters(pair.a, 'ip6tables-save');
  assert.ok(seen.get(drop)! > 0, `${[...seen]}`);
  assert.equal(seen.get(hidden), 0);
  // ip6tables stores the /56 written by mask and the one written with capitals alike
  assert.equal([...seen.keys()].filter((line) => line.includes('-s fd00:200:89::/56 ')).length, 1);
  const restored = spawnSync('ip', ['netns', 'exec', pair.a, 'ip6tables-restore'], { input: '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', encoding: 'utf8' });
  assert.equal(restored.status, 0, restored.stderr);
});

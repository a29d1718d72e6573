import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn } from './tcpProbe.ts';

/**
 * untracked-traffic-dropped against the kernel: host A (with the rules) and peer B on
 * 10.200.105.0/24 (this test's own). A UDP service on A accepted only as NEW gets nothing once
 * raw untracks its port, and gets its queries after the quick fix; A's own UDP queries to B,
 * untracked, lose every answer (they arrive NEW), and a TCP connection loses its SYN-ACK
 * (INVALID); tracked, both work. A router (10.200.109.0/24 outside, 10.200.110.0/24 inside,
 * routed without NAT) that lets its inside out and answers back only as ESTABLISHED loses the
 * answers to forwarded packets it untracks; with the quick fix (only packets for the router
 * untracked) they come back.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `untracked traffic in namespaces: ${missing}`);

const pair = new NamespacePair('utr', '10.200.105.1', '10.200.105.2', 24);
const A = pair.a;
const B = pair.b;
const services: ChildProcess[] = [];

/** A UDP service in `ns` on `port` answering each datagram with "pong"; resolves once it listens. */
async function udpEcho(ns: string, port: number): Promise<void> {
  const p = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `const s = require('node:dgram').createSocket('udp4'); s.on('message', (m, r) => s.send('pong', r.port, r.address)); s.bind(${port}, () => console.log('listening'));`], { stdio: ['ignore', 'pipe', 'inherit'] });
  services.push(p);
  await new Promise<void>((resolve) => p.stdout!.once('data', () => resolve()));
}

/** One datagram from `ns` to addr:port: the answer, or 'timeout'. */
function query(ns: string, addr: string, port: number): string {
  const script = `const s = require('node:dgram').createSocket('udp4'); const t = setTimeout(() => { console.log('timeout'); process.exit(0); }, 1500); s.on('message', (m) => { clearTimeout(t); console.log(String(m)); process.exit(0); }); s.send('ping', ${port}, '${addr}');`;
  const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

const net = new RoutedNetworks('utf', '10.200.109', '10.200.110', ['10.200.110.2']);
const OUTSIDE_HOST = '10.200.109.2';

before(async () => {
  if (skip) return;
  pair.create();
  await udpEcho(A, 5353);
  await udpEcho(B, 123);
  services.push(await listenIn(B, '0.0.0.0', 8443, 'tls'));
  net.create();
  await udpEcho(net.client, 123);
  services.push(await listenIn(net.client, '0.0.0.0', 8443, 'tls'));
});

after(() => {
  if (skip) return;
  for (const s of services) s.kill();
  pair.destroy();
  net.destroy();
});

const CLOSED = 'iptables -P INPUT DROP\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n';

/** Runs a script in A from empty tables. */
function run(text: string): void {
  const r = spawnSync('ip', ['netns', 'exec', A, 'sh', '-e', '-c', `for t in raw filter; do iptables -t $t -F; done\niptables -P INPUT ACCEPT\n${text}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'untracked-traffic-dropped');

test('a service accepted as NEW whose port raw untracks: reported, and it gets nothing; with the quick fix it answers', { skip, timeout: 60_000 }, () => {
  const script = `${CLOSED}iptables -A INPUT -p udp --dport 5353 -m conntrack --ctstate NEW -j ACCEPT\niptables -t raw -A PREROUTING -p udp --dport 5353 -j CT --notrack\n`;
  const [d, ...more] = findings(script);
  assert.equal(more.length, 0);
  assert.equal(script.slice(d.span.start, d.span.end), 'iptables -t raw -A PREROUTING -p udp --dport 5353 -j CT --notrack');
  run(script);
  assert.equal(query(B, pair.addrA, 5353), 'timeout');
  const fixed = applyFix(script, d.fixes![0]);
  assert.deepEqual(findings(fixed), []);
  run(fixed);
  assert.equal(query(B, pair.addrA, 5353), 'pong');
  // tracked, the same accept takes them
  run(`${CLOSED}iptables -A INPUT -p udp --dport 5353 -m conntrack --ctstate NEW -j ACCEPT\n`);
  assert.equal(query(B, pair.addrA, 5353), 'pong');
});

test('the host\'s own queries untracked: reported, and the answers are dropped (UDP as NEW, a SYN-ACK as INVALID); tracked they come back', { skip, timeout: 60_000 }, () => {
  const udp = `${CLOSED}iptables -t raw -A OUTPUT -p udp --dport 123 -j NOTRACK\n`;
  const tcp = `${CLOSED}iptables -t raw -A OUTPUT -p tcp --dport 8443 -j NOTRACK\n`;
  assert.equal(findings(udp).length, 1);
  assert.equal(findings(tcp).length, 1);
  assert.match(findings(tcp)[0].message, /INVALID/);
  run(udp);
  assert.equal(query(A, pair.addrB, 123), 'timeout');
  // a rule that only counts the SYN-ACKs in state INVALID, first in INPUT
  run(`${tcp}iptables -I INPUT 1 -p tcp --sport 8443 -m conntrack --ctstate INVALID\n`);
  assert.deepEqual(connectFrom(A, pair.addrB, 8443, 1, 1500), ['timeout']);
  const counted = spawnSync('ip', ['netns', 'exec', A, 'iptables', '-S', 'INPUT', '-v'], { encoding: 'utf8' }).stdout;
  assert.match(counted, /--ctstate INVALID -c [1-9]/);
  // the answers made explicit: untracked too, and accepted as such
  const both = `${udp}iptables -t raw -A PREROUTING -p udp --sport 123 -j NOTRACK\niptables -A INPUT -p udp --sport 123 -m conntrack --ctstate UNTRACKED -j ACCEPT\n`;
  assert.deepEqual(findings(both), []);
  run(both);
  assert.equal(query(A, pair.addrB, 123), 'pong');
  run(CLOSED);
  assert.equal(query(A, pair.addrB, 123), 'pong');
  assert.deepEqual(connectFrom(A, pair.addrB, 8443, 1, 1500), ['tls']);
});

test('a router untracking forwarded packets: reported, and their answers are dropped in FORWARD (UDP as NEW, a SYN-ACK as INVALID); with the quick fix they come back', { skip, timeout: 60_000 }, () => {
  const router = `iptables -P FORWARD DROP
iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
iptables -A FORWARD -i ${net.farDev} -o ${net.pair.devA} -j ACCEPT
`;
  const inRouter = (text: string) => {
    const r = spawnSync('ip', ['netns', 'exec', net.router, 'sh', '-e', '-c', `iptables -t raw -F\niptables -F FORWARD\n${text}`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  const udp = `${router}iptables -t raw -A PREROUTING -p udp --dport 123 -j NOTRACK\n`;
  const [d, ...more] = findings(udp);
  assert.equal(more.length, 0);
  assert.equal(udp.slice(d.span.start, d.span.end), 'iptables -t raw -A PREROUTING -p udp --dport 123 -j NOTRACK');
  inRouter(udp);
  assert.equal(query(net.far, OUTSIDE_HOST, 123), 'timeout');
  const fixed = applyFix(udp, d.fixes![0]);
  assert.match(fixed, /^iptables -t raw -A PREROUTING -m addrtype --dst-type LOCAL -p udp --dport 123 -j NOTRACK$/m);
  assert.deepEqual(findings(fixed), []);
  inRouter(fixed);
  assert.equal(query(net.far, OUTSIDE_HOST, 123), 'pong');

  const tcp = `${router}iptables -t raw -A PREROUTING -p tcp --dport 8443 -j NOTRACK\n`;
  assert.equal(findings(tcp).length, 1);
  assert.match(findings(tcp)[0].message, /INVALID/);
  // a rule that only counts the SYN-ACKs in state INVALID, first in FORWARD
  inRouter(`${tcp}iptables -I FORWARD 1 -p tcp --sport 8443 -m conntrack --ctstate INVALID\n`);
  assert.deepEqual(connectFrom(net.far, OUTSIDE_HOST, 8443, 1, 1500), ['timeout']);
  const counted = spawnSync('ip', ['netns', 'exec', net.router, 'iptables', '-S', 'FORWARD', '-v'], { encoding: 'utf8' }).stdout;
  assert.match(counted, /--ctstate INVALID -c [1-9]/);
  inRouter(applyFix(tcp, findings(tcp)[0].fixes![0]));
  assert.deepEqual(connectFrom(net.far, OUTSIDE_HOST, 8443, 1, 1500), ['tls']);
});

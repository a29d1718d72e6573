import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { ip } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { connectFrom, listenIn } from './tcpProbe.ts';

/**
 * dnat-without-hairpin against the kernel: a router whose LAN (10.200.94.0/24, this test's own)
 * is a bridge with a client and a web server on it, and whose public address (10.200.95.1, on
 * its loopback) the port forward tests. The client connects to the public address: without
 * br_netfilter the server's answer crosses the bridge untranslated and the client never takes
 * it; the MASQUERADE of the quick fix makes it work; so does br_netfilter handing bridged
 * packets to iptables (why the finding is information).
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `dnat-without-hairpin in namespaces: ${missing}`);

const brNetfilter = existsSync('/proc/sys/net/bridge/bridge-nf-call-iptables');
const skipBrNetfilter = skip || requirement(brNetfilter, 'br_netfilter is not in this kernel: the hairpin test without source NAT over a bridge whose packets pass iptables');

const tag = `${process.pid % 100000}`;
const router = `hp-r-${tag}`;
const client = `hp-c-${tag}`;
const server = `hp-s-${tag}`;
const PUBLIC = '10.200.95.1';
let service: ChildProcess | undefined;

function sh(ns: string, ...args: string[]): { status: number | null; stderr: string } {
  return spawnSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' });
}

before(async () => {
  if (skip) return;
  for (const ns of [router, client, server]) {
    ip('netns', 'add', ns);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  ip('-n', router, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', router, 'link', 'set', 'br0', 'up');
  ip('-n', router, 'addr', 'add', '10.200.94.1/24', 'dev', 'br0');
  ip('-n', router, 'addr', 'add', `${PUBLIC}/32`, 'dev', 'lo');
  for (const [ns, addr, end] of [[client, '10.200.94.2', 'c'], [server, '10.200.94.3', 's']]) {
    const dev = `hp${end}${tag}`;
    ip('link', 'add', dev, 'netns', router, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    ip('-n', router, 'link', 'set', dev, 'master', 'br0', 'up');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('-n', ns, 'addr', 'add', `${addr}/24`, 'dev', 'eth0');
    ip('-n', ns, 'route', 'add', 'default', 'via', '10.200.94.1');
  }
  const fwd = sh(router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  assert.equal(fwd.status, 0, fwd.stderr);
  bridgedThroughIptables(false);
  service = await listenIn(server, '0.0.0.0', 8080, 'web');
});

after(() => {
  if (skip) return;
  service?.kill();
  for (const ns of [router, client, server]) spawnSync('ip', ['netns', 'del', ns]);
});

/** br_netfilter's hand-over of bridged packets to iptables in the router (nothing to turn off where the kernel lacks it). */
function bridgedThroughIptables(on: boolean): void {
  if (!brNetfilter) return;
  const r = sh(router, 'sysctl', '-qw', `net.bridge.bridge-nf-call-iptables=${on ? 1 : 0}`);
  assert.equal(r.status, 0, r.stderr);
}

const forward = `iptables -t nat -A PREROUTING -d ${PUBLIC} -p tcp --dport 80 -j DNAT --to-destination 10.200.94.3:8080\n`;

function findings(text: string) {
  return new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'dnat-without-hairpin');
}

/** Runs the script's commands in the router, its nat table flushed first. */
function load(script: string): void {
  const r = sh(router, 'sh', '-e', '-c', `iptables -t nat -F\n${script}`);
  assert.equal(r.status, 0, r.stderr);
}

test('a reported port forward fails from the server\'s own network; after the quick fix the client gets the answer', { skip, timeout: 60_000 }, () => {
  const [d] = findings(forward);
  assert.ok(d, 'reported');
  load(forward);
  assert.deepEqual(connectFrom(client, PUBLIC, 80, 1, 1500), ['timeout']);
  const fixed = `${forward}${d.fixes![0].edits[0].text}`;
  assert.match(fixed, /-s 10\.200\.94\.0\/24 -d 10\.200\.94\.3 -p tcp --dport 8080 -j MASQUERADE/);
  assert.deepEqual(findings(fixed), []);
  load(fixed);
  assert.deepEqual(connectFrom(client, PUBLIC, 80, 1, 1500), ['web']);
});

test('a source NAT out of another interface is not enough, and is reported', { skip, timeout: 60_000 }, () => {
  const wan = `${forward}iptables -t nat -A POSTROUTING -o eth9 -j MASQUERADE\n`;
  assert.equal(findings(wan).length, 1);
  load(wan);
  assert.deepEqual(connectFrom(client, PUBLIC, 80, 1, 1500), ['timeout']);
});

test('where br_netfilter hands the bridge\'s packets to iptables, the forward works without source NAT (why the finding is information)', { skip: skipBrNetfilter, timeout: 60_000 }, () => {
  load(forward);
  bridgedThroughIptables(true);
  try {
    assert.deepEqual(connectFrom(client, PUBLIC, 80, 1, 1500), ['web']);
  } finally {
    bridgedThroughIptables(false);
  }
});

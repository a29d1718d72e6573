import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { listenIn } from './tcpProbe.ts';

/**
 * missing-dns-accept against the kernel: a host in a namespace this test creates and a name
 * server in another, joined on 10.200.130.0/24 (this test's own range). The name server answers
 * every A query with 10.200.130.99 (a few lines of Node over UDP), and serves HTTPS's port
 * beside it. The host loads a hardened filter table: OUTPUT closed, replies, loopback and
 * port 443 let out. Its connection to port 443 gets through and its lookup fails, where
 * the product says so; with the finding's fix the lookup is answered.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `DNS through OUTPUT in namespaces: ${missing}`);

const pair = new NamespacePair('dns', '10.200.130.1', '10.200.130.2', 24);
const services: ChildProcess[] = [];

/** A name server on b's address, port 53: the query's id and question echoed with one A record. */
const NAME_SERVER = `const s = require('node:dgram').createSocket('udp4');
s.on('message', (q, from) => {
  let end = 12;
  while (q[end] !== 0) end += q[end] + 1;
  const question = q.subarray(12, end + 5);
  const head = Buffer.from([q[0], q[1], 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
  const answer = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 200, 130, 99]);
  s.send(Buffer.concat([head, question, answer]), from.port, from.address);
});
s.bind(53, '${pair.addrB}', () => console.log('listening'));`;

before(async () => {
  if (skip) return;
  pair.create();
  const ns = spawn('ip', ['netns', 'exec', pair.b, process.execPath, '-e', NAME_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  services.push(ns);
  await new Promise<void>((resolve) => ns.stdout!.once('data', () => resolve()));
  services.push(await listenIn(pair.b, pair.addrB, 443, 'https'));
});
after(() => {
  for (const s of services) s.kill();
  if (!skip) pair.destroy();
});

/** Loads the rules into the host, then what a lookup of router.test answers there (or its error's code) and what port 443 answers. */
function fromHost(rules: string): { lookup: string; https: string } {
  const load = spawnSync('ip', ['netns', 'exec', pair.a, 'iptables-restore'], { input: rules, encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
  const probe = `const { Resolver } = require('node:dns').promises;
    const r = new Resolver({ timeout: 1500, tries: 1 });
    r.setServers(['${pair.addrB}']);
    const https = new Promise((done) => { const c = require('node:net').connect(443, '${pair.addrB}'); c.setTimeout(2000, () => { c.destroy(); done('timeout'); }); c.on('data', (d) => { c.destroy(); done(String(d)); }); c.on('error', (e) => done(e.code)); });
    Promise.all([r.resolve4('router.test').then((a) => a.join(), (e) => e.code), https]).then(([lookup, https]) => console.log(JSON.stringify({ lookup, https })));`;
  const r = spawnSync('ip', ['netns', 'exec', pair.a, process.execPath, '-e', probe], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { lookup: string; https: string };
}

const hardened = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n';
const findings = (text: string) => new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.code === 'missing-dns-accept');

test('OUTPUT lets HTTPS out and drops DNS: the host\'s lookup fails, and the policy is reported', { skip, timeout: 60_000 }, () => {
  const found = findings(hardened);
  assert.deepEqual(found.map((d) => hardened.slice(d.span.start, d.span.end)), ['DROP']);
  assert.equal(hardened.lastIndexOf('\n', found[0].span.start), hardened.indexOf('\n:OUTPUT DROP'), 'on OUTPUT\'s policy');
  // the query dropped in OUTPUT fails the resolver's send (EPERM), which it reports as refused
  assert.deepEqual(fromHost(hardened), { lookup: 'ECONNREFUSED', https: 'https' });
});

test('with the fix the lookup is answered, nothing reported', { skip, timeout: 60_000 }, () => {
  const fixed = applyFix(hardened, findings(hardened)[0].fixes![0]);
  assert.deepEqual(findings(fixed), []);
  assert.deepEqual(fromHost(fixed), { lookup: '10.200.130.99', https: 'https' });
});

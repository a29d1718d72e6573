import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import type { NamespacePair } from './namespacePair.ts';

/**
 * TCP services and connections inside network namespaces a test created, for the kernel
 * tests of findings about whether a connection gets through. Node runs on both ends.
 */

/** A service in namespace `ns` that answers `word` and closes; resolves once it listens. */
export async function listenIn(ns: string, addr: string, port: number, word: string): Promise<ChildProcess> {
  const p = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `require('node:net').createServer((c) => c.end('${word}')).listen(${port}, '${addr}', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => p.stdout!.once('data', () => resolve()));
  return p;
}

/** A service in namespace `ns` that answers the address each connection comes from (what the server's logs see); resolves once it listens. */
export async function listenForPeersIn(ns: string, addr: string, port: number): Promise<ChildProcess> {
  const p = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', `require('node:net').createServer((c) => c.end(c.remoteAddress.replace(/^::ffff:/, ''))).listen(${port}, '${addr}', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => p.stdout!.once('data', () => resolve()));
  return p;
}

/**
 * For a test file's kernel tests: `pair` made before them with one service in its namespace a
 * (see listenIn), both gone after them; nothing when the tests are skipped.
 */
export function pairWithService(skip: string | false, pair: NamespacePair, addr: string, port: number, word: string): void {
  let service: ChildProcess | undefined;
  before(async () => {
    if (skip) return;
    pair.create();
    service = await listenIn(pair.a, addr, port, word);
  });
  after(() => {
    if (skip) return;
    service?.kill();
    pair.destroy();
  });
}

/**
 * `count` connections in a row from namespace `ns` to `addr:port`, each given `timeoutMs`: what
 * each read, or 'timeout', or the error's code. `localPort`: the port they are sent from;
 * `localAddress`: the address (one of the namespace's own).
 */
export function connectFrom(ns: string, addr: string, port: number, count = 1, timeoutMs = 2000, localPort?: number, localAddress?: string): string[] {
  const script = `const net = require('node:net'); const out = [];
    const one = () => new Promise((done) => { const s = net.connect({ port: ${port}, host: '${addr}'${localPort ? `, localPort: ${localPort}` : ''}${localAddress ? `, localAddress: '${localAddress}'` : ''} }); s.setTimeout(${timeoutMs}, () => { out.push('timeout'); s.destroy(); done(); }); s.on('data', (d) => { out.push(String(d)); s.destroy(); done(); }); s.on('error', (e) => { out.push(e.code); done(); }); });
    (async () => { for (let i = 0; i < ${count}; i++) await one(); console.log(JSON.stringify(out)); })();`;
  const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { encoding: 'utf8', timeout: count * timeoutMs + 8000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

/** Loads `rules` with iptables-restore into namespace `ns`. */
export function loadRules(ns: string, rules: string): void {
  const load = spawnSync('ip', ['netns', 'exec', ns, 'iptables-restore'], { input: rules, encoding: 'utf8' });
  assert.equal(load.status, 0, load.stderr);
}

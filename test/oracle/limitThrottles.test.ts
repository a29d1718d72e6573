import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespacePair } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * limit-throttles-connections against the kernel: a host (10.200.126.1, this test's own range)
 * serving 300 KB on port 8080 behind INPUT rules that accept the port under `-m limit --limit
 * 3/min --limit-burst 5` and drop the rest; a client (10.200.126.2) downloads it. Without an
 * accept of ESTABLISHED before the limit, the client's acknowledgements count against it: the
 * download stalls after the burst, where the product reports the limit. With the accept first,
 * the limit sees the connection's first packet only, and the download completes.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `rate limits in namespaces: ${missing}`);

const pair = new NamespacePair('lim', '10.200.126.1', '10.200.126.2', 24);
const SIZE = 300_000;
// (the server ignores its connections' errors: the stalled client of the first test gives up and
// resets its connection while the server still writes, which would otherwise end the server)
let server: ChildProcess | undefined;

before(async () => {
  if (skip) return;
  pair.create();
  server = spawn('ip', ['netns', 'exec', pair.a, process.execPath, '-e', `require('node:net').createServer((c) => { c.on('error', () => {}); c.end(Buffer.alloc(${SIZE}, 120)); }).listen(8080, '10.200.126.1', () => console.log('listening'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => server!.stdout!.once('data', () => resolve()));
});

after(() => {
  if (skip) return;
  server?.kill();
  pair.destroy();
});

/** The bytes the client got before the server closed or 4 s passed. */
function download(): number {
  const script = `let n = 0; const s = require('node:net').connect(8080, '10.200.126.1'); const done = () => { console.log(n); process.exit(0); };
    s.on('data', (d) => { n += d.length; }); s.on('end', done); s.on('error', done); setTimeout(done, 4000);`;
  const r = spawnSync('ip', ['netns', 'exec', pair.b, process.execPath, '-e', script], { encoding: 'utf8', timeout: 15_000 });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

const rules = (established: boolean) =>
  [
    'iptables -F INPUT',
    ...(established ? ['iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'] : []),
    'iptables -A INPUT -p tcp --dport 8080 -m limit --limit 3/min --limit-burst 5 -j ACCEPT',
    'iptables -A INPUT -p tcp --dport 8080 -j DROP',
    '',
  ].join('\n');

function load(text: string): void {
  const r = spawnSync('ip', ['netns', 'exec', pair.a, 'sh', '-e', '-c', text], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const found = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'limit-throttles-connections');

test('the limit counts the connection\'s own packets: the download stalls, and the limit is reported', { skip, timeout: 60_000 }, () => {
  const text = rules(false);
  const [finding, ...more] = found(text);
  assert.equal(more.length, 0);
  assert.equal(text.slice(finding.span.start, finding.span.end), 'limit');
  assert.deepEqual(finding.related?.map((r) => text.slice(r.span.start, r.span.end)), ['iptables -A INPUT -p tcp --dport 8080 -j DROP']);
  load(text);
  assert.ok(download() < SIZE);
});

test('ESTABLISHED accepted first: the download completes, nothing reported', { skip, timeout: 60_000 }, () => {
  const text = rules(true);
  assert.deepEqual(found(text), []);
  load(text);
  assert.equal(download(), SIZE);
});

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { applyFix } from '../support/ruleTester.ts';
import { ip, linkedNamespace } from './namespacePair.ts';
import { NamespaceIptables } from './realIptables.ts';
import { RoutedNetworks } from './routedNetworks.ts';

/**
 * missing-established-rule's RELATED finding on a router, against the kernel: a client on
 * 10.200.127.0/24 behind the router under test, a second router on 10.200.128.0/24 whose link
 * on to a server (10.200.129.0/24, this test's own ranges) carries at most 1280 bytes. The
 * server's end of that link takes 1500, so the server offers the full segment size and the
 * client's uploads leave in 1500-byte packets, which only the second router can turn away: it
 * sends the client fragmentation-needed, back through the router under test's FORWARD in
 * state RELATED. Where FORWARD accepts ESTABLISHED alone the error is dropped, the client never
 * learns the path's MTU and the upload stalls, where the product says so; with the finding's
 * fix the upload completes. Then the router's own link on is the small one, and its own
 * fragmentation-needed leaves through its OUTPUT, where the same holds.
 */
const missing = NamespaceIptables.available();
const skip = requirement(missing === undefined, `path MTU discovery through a router in namespaces: ${missing}`);

const net = new RoutedNetworks('pmtu', '10.200.127', '10.200.128', ['10.200.128.2']);
const tag = process.pid % 100000;
const serverNs = `pmtu-s-${tag}`;
const SERVER = '10.200.129.2';
/** A second address of the server, for the router's own test: the client keeps what it learnt of the first's path. */
const SERVER_2 = '10.200.129.3';
const UPLOAD = 200_000;
let server: ChildProcess | undefined;

net.forTests(skip, async () => {
  linkedNamespace(net.far, serverNs, { routerDev: `pmtus${tag}`, dev: `pmtut${tag}`, routerAddr: '10.200.129.1', addrs: [SERVER, SERVER_2], prefix: 24 });
  ip('-n', net.far, 'link', 'set', `pmtus${tag}`, 'mtu', '1280');
  ip('-n', net.router, 'route', 'add', '10.200.129.0/24', 'via', '10.200.128.2');
  ip('-n', net.client, 'route', 'add', '10.200.129.0/24', 'via', net.pair.addrA);
  // counts what each connection sends and answers the count once the client has sent it all
  const count = `require('node:net').createServer((c) => { let n = 0; c.on('data', (d) => { n += d.length; }); c.on('end', () => c.end(String(n))); c.on('error', () => {}); }).listen(9000, '0.0.0.0', () => console.log('listening'))`;
  server = spawn('ip', ['netns', 'exec', serverNs, process.execPath, '-e', count], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => server!.stdout!.once('data', () => resolve()));
});
after(() => {
  server?.kill();
  if (!skip) spawnSync('ip', ['netns', 'del', serverNs]);
});

/** What the server (at `to`) counted of an upload of UPLOAD bytes from the client, or 'timeout'. */
function upload(to = SERVER): string {
  const send = `const s = require('node:net').connect(9000, '${to}', () => s.end(Buffer.alloc(${UPLOAD}, 120)));
    s.setTimeout(5000, () => { console.log('timeout'); s.destroy(); });
    s.on('data', (d) => { console.log(String(d)); s.destroy(); });
    s.on('error', (e) => console.log(e.code));`;
  const r = spawnSync('ip', ['netns', 'exec', net.client, process.execPath, '-e', send], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

/** The router's rules: FORWARD lets the LAN out and accepts replies in `forwardStates`; OUTPUT, where `outputStates` is given, is closed but for loopback, HTTPS and replies in those states. */
const rules = (forwardStates: string, outputStates?: string) =>
  [
    'sysctl -w net.ipv4.ip_forward=1',
    'iptables -F',
    'iptables -P FORWARD DROP',
    `iptables -A FORWARD -m conntrack --ctstate ${forwardStates} -j ACCEPT`,
    `iptables -A FORWARD -i ${net.pair.devA} -o ${net.farDev} -j ACCEPT`,
    ...(outputStates ? ['iptables -P OUTPUT DROP', 'iptables -A OUTPUT -o lo -j ACCEPT', `iptables -A OUTPUT -m conntrack --ctstate ${outputStates} -j ACCEPT`, 'iptables -A OUTPUT -p tcp --dport 443 -j ACCEPT'] : []),
    '',
  ].join('\n');

const script = rules('ESTABLISHED');

const findings = (text: string) => new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'missing-established-rule');

// the stalled upload first: a fragmentation-needed that got through would leave the client's
// route with the smaller MTU, and a later upload would not need one
test('a router whose FORWARD accepts ESTABLISHED alone: the LAN\'s uploads past a smaller link stall, and the accept is reported', { skip, timeout: 60_000 }, () => {
  const found = findings(script);
  assert.deepEqual(found.map((d) => script.slice(d.span.start, d.span.end)), ['ESTABLISHED']);
  net.runOnRouter(script);
  assert.equal(upload(), 'timeout');
});

test('the fix accepts RELATED too: the fragmentation-needed reaches the client and the upload completes, nothing reported', { skip, timeout: 60_000 }, () => {
  const fixed = applyFix(script, findings(script)[0].fixes![0]);
  assert.match(fixed, /--ctstate ESTABLISHED,RELATED -j ACCEPT/);
  assert.deepEqual(findings(fixed), []);
  net.runOnRouter(fixed);
  assert.equal(upload(), String(UPLOAD));
});

/**
 * The router under test's own link on is the small one now (1280 bytes): it sends the client
 * fragmentation-needed itself, through its OUTPUT in state RELATED.
 */
const routerScript = rules('ESTABLISHED,RELATED', 'ESTABLISHED');

test('a router whose OUTPUT accepts ESTABLISHED alone: its own fragmentation-needed is dropped, the upload stalls, and that accept is reported', { skip, timeout: 60_000 }, () => {
  ip('-n', net.router, 'link', 'set', net.farDev, 'mtu', '1280');
  const found = findings(routerScript);
  assert.deepEqual(found.map((d) => `${routerScript.slice(0, d.span.start).split('\n').length}:${routerScript.slice(d.span.start, d.span.end)}`), ['8:ESTABLISHED']);
  net.runOnRouter(routerScript);
  assert.equal(upload(SERVER_2), 'timeout');
});

test('the fix in OUTPUT: the router\'s fragmentation-needed reaches the client and the upload completes', { skip, timeout: 60_000 }, () => {
  const fixed = applyFix(routerScript, findings(routerScript)[0].fixes![0]);
  assert.match(fixed, /-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT/);
  assert.deepEqual(findings(fixed), []);
  net.runOnRouter(fixed);
  assert.equal(upload(SERVER_2), String(UPLOAD));
});

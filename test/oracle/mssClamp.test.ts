import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { after, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { connectFrom } from './tcpProbe.ts';

/**
 * mss-clamp-after-accept against the kernel: a client on 10.200.124.0/24 behind a router, a
 * server on 10.200.125.0/24 (this test's own ranges) that answers each connection with the
 * segment size it was left to send with (TCP_MAXSEG, read by Python: Node has no getsockopt),
 * which follows the MSS of the client's SYN as it arrived. The router's FORWARD clamps the SYNs
 * going out to 1000: written after its accept of the LAN's traffic, the SYN is accepted first
 * and arrives unclamped, where the product says so; written first, it is clamped.
 */
const missing = NamespaceIptables.available();
const python = spawnSync('python3', ['-c', 'import socket; socket.TCP_MAXSEG'], { encoding: 'utf8' }).status === 0;
const skip = requirement(missing === undefined, `MSS clamping in namespaces: ${missing}`) || requirement(python, 'python3 is not installed: the MSS clamp test reads the server\'s segment size with it');

const net = new RoutedNetworks('mss', '10.200.124', '10.200.125', ['10.200.125.2']);
let server: ChildProcess | undefined;

const SERVER = [
  'import socket',
  's = socket.socket()',
  's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
  "s.bind(('10.200.125.2', 80))",
  's.listen(8)',
  "print('listening', flush=True)",
  'while True:',
  '    c, _ = s.accept()',
  '    try:',
  '        c.sendall(str(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)).encode())',
  '    except OSError:',
  '        pass',
  '    c.close()',
].join('\n');

net.forTests(skip, async () => {
  server = spawn('ip', ['netns', 'exec', net.far, 'python3', '-c', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => server!.stdout!.once('data', () => resolve()));
});
after(() => server?.kill());

const script = (clampFirst: boolean) => {
  const clamp = `iptables -A FORWARD -o ${net.farDev} -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1000`;
  return [
    'sysctl -w net.ipv4.ip_forward=1',
    'iptables -F',
    'iptables -P FORWARD DROP',
    ...(clampFirst ? [clamp] : []),
    `iptables -A FORWARD -i ${net.pair.devA} -o ${net.farDev} -j ACCEPT`,
    'iptables -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    ...(clampFirst ? [] : [clamp]),
    '',
  ].join('\n');
};

/** The segment size the server sends with on a connection from the client. */
const serverSegment = () => {
  const [answer] = connectFrom(net.client, '10.200.125.2', 80, 1, 2000);
  assert.match(answer, /^\d+$/);
  return Number(answer);
};

test('the clamp after the accept of the LAN\'s traffic: the SYN arrives unclamped, and the clamp is reported', { skip, timeout: 60_000 }, () => {
  const text = script(false);
  const found = new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'mss-clamp-after-accept');
  assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), ['TCPMSS']);
  assert.deepEqual(found[0].related?.map((r) => text.slice(r.span.start, r.span.end)), [`iptables -A FORWARD -i ${net.pair.devA} -o ${net.farDev} -j ACCEPT`]);
  net.runOnRouter(text);
  assert.ok(serverSegment() > 1000);
});

test('the clamp first: the SYN is clamped, nothing reported', { skip, timeout: 60_000 }, () => {
  const text = script(true);
  assert.deepEqual(new FirewallDocument(text, { dialect: 'script' }).diagnostics().filter((d) => d.code === 'mss-clamp-after-accept'), []);
  net.runOnRouter(text);
  assert.ok(serverSegment() <= 1000);
});

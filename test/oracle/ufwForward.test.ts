import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import type { UfwPolicy } from '../../server/src/core/model/ufwLoad.ts';
import { workspaceSettings } from '../../server/src/node/workspaceSettings.ts';
import { applyFix } from '../support/ruleTester.ts';
import { requirement } from '../support/paths.ts';
import { NamespaceIptables } from './realIptables.ts';
import { RoutedNetworks } from './routedNetworks.ts';
import { connectFrom, listenIn, loadRules } from './tcpProbe.ts';

/**
 * ufw's before.rules, started by the real ufw (ufw-init, and the ufw command for route and
 * allow rules) in a router namespace with a data directory of the test's own, between a client
 * on 10.200.115.0/24 and a server on 10.200.116.2 (this test's own ranges), the product judging
 * the file with the files ufw loads around it. A port forward (the router's 10.200.115.1:8080
 * DNAT'd to 10.200.116.2:80) gets through exactly where dnat-without-forward-accept finds
 * nothing; a MASQUERADE of the client's network, where masquerade-without-forward-accept finds
 * nothing, and under ufw's ACCEPT policy the client's network is open to the server's side as
 * lan-reachable-from-wan says; a DROP of port 22 in before.rules stops SSH to the router ahead
 * of `ufw allow 22/tcp`, as ssh-lockout-risk says. Over IPv6 too (before6.rules, ufw6 chains),
 * between fd00:200:115::/64 and fd00:200:116::/64. And `ufw reload` (ufw-init force-reload):
 * the port forward added again at each one, and left in force once taken out of the file, where
 * rule-left-after-reload says so; with its fix, or MANAGE_BUILTINS=yes, the file's rules only.
 */
const missing = NamespaceIptables.available();
const hasUfw = existsSync('/lib/ufw/ufw-init') && existsSync('/etc/ufw/before.rules') && spawnSync('ufw', ['version']).status === 0;
const skip = requirement(missing === undefined && hasUfw, missing ? `ufw in a namespace: ${missing}` : 'ufw in a namespace: ufw is not installed (apt-get install ufw)');

const net = new RoutedNetworks('ufw', '10.200.115', '10.200.116', ['10.200.116.2']);
const dirs: string[] = [];

before(async () => {
  if (skip) return;
  net.create();
  net.addIpv6();
  await net.serve('10.200.116.2', 80, 'server');
  await net.serve(net.v6.outside, 80, 'server6');
});

after(() => {
  if (skip) return;
  net.destroy();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The port forward, above before.rules as ufw installs it. */
function beforeRules(): string {
  return `*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i ${net.pair.devA} -p tcp --dport 8080 -j DNAT --to-destination 10.200.116.2:80\nCOMMIT\n\n${readFileSync('/etc/ufw/before.rules', 'utf8')}`;
}

/**
 * ufw's data directory for one case (its etc/ufw as installed, etc/default/ufw with the
 * forward policy and MANAGE_BUILTINS, IPv4 only, forwarding on through ufw's sysctl file), the router's tables
 * emptied, and `ufw-init start` run in the router. Returns before.rules' path.
 */
function startUfw(policy: UfwPolicy, beforeText = beforeRules(), before6Text?: string, manageBuiltins = false): { dir: string; file: string; file6: string } {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-ufw-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'etc', 'ufw', 'applications.d'), { recursive: true });
  mkdirSync(join(dir, 'etc', 'default'));
  mkdirSync(join(dir, 'lib', 'ufw'), { recursive: true });
  for (const f of ['after.rules', 'user.rules', 'before6.rules', 'after6.rules', 'user6.rules']) writeFileSync(join(dir, 'etc', 'ufw', f), readFileSync(join('/etc/ufw', f)));
  const file = join(dir, 'etc', 'ufw', 'before.rules');
  writeFileSync(file, beforeText);
  // IPv6 is loaded where the case gives before6.rules
  const file6 = join(dir, 'etc', 'ufw', 'before6.rules');
  if (before6Text) writeFileSync(file6, before6Text);
  writeFileSync(join(dir, 'etc', 'ufw', 'ufw.conf'), 'ENABLED=yes\nLOGLEVEL=off\n');
  writeFileSync(join(dir, 'etc', 'ufw', 'sysctl.conf'), `net/ipv4/ip_forward=1\n${before6Text ? 'net/ipv6/conf/all/forwarding=1\n' : ''}`);
  writeFileSync(join(dir, 'etc', 'default', 'ufw'), `IPV6=${before6Text ? 'yes' : 'no'}\nDEFAULT_INPUT_POLICY="DROP"\nDEFAULT_OUTPUT_POLICY="ACCEPT"\nDEFAULT_FORWARD_POLICY="${policy}"\nDEFAULT_APPLICATION_POLICY="SKIP"\nMANAGE_BUILTINS=${manageBuiltins ? 'yes' : 'no'}\nIPT_SYSCTL=${join(dir, 'etc', 'ufw', 'sysctl.conf')}\n`);
  // without --noflush each table named starts empty, its user chains gone: ufw then starts afresh
  const empty = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n';
  loadRules(net.router, empty);
  const six = spawnSync('ip', ['netns', 'exec', net.router, 'ip6tables-restore'], { input: empty, encoding: 'utf8' });
  assert.equal(six.status, 0, six.stderr);
  const r = spawnSync('ip', ['netns', 'exec', net.router, '/lib/ufw/ufw-init', '--datadir', dir, 'start'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return { dir, file, file6 };
}

/** The ufw command on the case's data directory, in the router (it writes user.rules and loads the rule there). */
function ufw(dir: string, ...args: string[]): void {
  const r = spawnSync('ip', ['netns', 'exec', net.router, 'ufw', `--datadir=${dir}`, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

/** The product's dnat-without-forward-accept findings in before.rules, as the CLI and the editor judge it: with the files around it. */
function findings(file: string) {
  return new FirewallDocument(readFileSync(file, 'utf8'), { fileName: file }).diagnostics({ settings: workspaceSettings(file) }).filter((d) => d.code === 'dnat-without-forward-accept');
}

const dnatLine = (file: string, d: { span: { start: number } }) => readFileSync(file, 'utf8').slice(0, d.span.start).split('\n').length;

test('ufw: DEFAULT_FORWARD_POLICY="DROP" and no route rule: the forward never connects, and the DNAT line is reported', { skip, timeout: 60_000 }, () => {
  const { file } = startUfw('DROP');
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['timeout']);
  assert.deepEqual(findings(file).map((d) => dnatLine(file, d)), [3]);
});

test('ufw: DEFAULT_FORWARD_POLICY="REJECT": refused, and reported', { skip, timeout: 60_000 }, () => {
  const { file } = startUfw('REJECT');
  assert.notDeepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
  assert.deepEqual(findings(file).map((d) => dnatLine(file, d)), [3]);
});

test('ufw: DEFAULT_FORWARD_POLICY="ACCEPT": the forward connects, and nothing is reported', { skip, timeout: 60_000 }, () => {
  const { file } = startUfw('ACCEPT');
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
  assert.deepEqual(findings(file), []);
});

test('ufw: a route rule for the translated destination (ufw route allow … port 80) lets it through, and is read from user.rules', { skip, timeout: 60_000 }, () => {
  const { dir, file } = startUfw('DROP');
  ufw(dir, 'route', 'allow', 'proto', 'tcp', 'to', '10.200.116.2', 'port', '80');
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
  assert.deepEqual(findings(file), []);
});

test('ufw: a route rule for the public port (8080) does not, and the DNAT is still reported', { skip, timeout: 60_000 }, () => {
  const { dir, file } = startUfw('DROP');
  ufw(dir, 'route', 'allow', 'proto', 'tcp', 'to', 'any', 'port', '8080');
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['timeout']);
  assert.deepEqual(findings(file).map((d) => dnatLine(file, d)), [3]);
});

test('ufw: before.rules with the finding\'s fix applied loads, and the forward connects under DEFAULT_FORWARD_POLICY="DROP"', { skip, timeout: 60_000 }, () => {
  const { file: unfixed } = startUfw('DROP');
  const [finding] = findings(unfixed);
  const fixed = applyFix(readFileSync(unfixed, 'utf8'), finding.fixes![0]);
  const { file } = startUfw('DROP', fixed);
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
  assert.deepEqual(findings(file), []);
});

/** `ufw reload` in the router, as the ufw command runs it: ufw-init's force-reload (stop, then start). */
function reloadUfw(dir: string): void {
  const r = spawnSync('ip', ['netns', 'exec', net.router, '/lib/ufw/ufw-init', '--datadir', dir, 'force-reload'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
}

/** The DNAT rules in the router's nat PREROUTING. */
function dnatsInKernel(): number {
  const r = spawnSync('ip', ['netns', 'exec', net.router, 'iptables', '-t', 'nat', '-S', 'PREROUTING'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l.includes('-j DNAT')).length;
}

function reloadFindings(file: string) {
  return new FirewallDocument(readFileSync(file, 'utf8'), { fileName: file }).diagnostics({ settings: workspaceSettings(file) }).filter((d) => d.code === 'rule-left-after-reload');
}

test('ufw reload: the port forward of before.rules is added again at each reload, and once taken out of the file it still connects; reported on the DNAT line, and with its fix the reloads leave the file\'s rules only', { skip, timeout: 90_000 }, () => {
  const { dir, file } = startUfw('ACCEPT');
  assert.equal(dnatsInKernel(), 1);
  reloadUfw(dir);
  reloadUfw(dir);
  assert.equal(dnatsInKernel(), 3);
  // the port forward taken out of before.rules, ufw reloaded: still forwarded
  const unfixed = readFileSync(file, 'utf8');
  writeFileSync(file, readFileSync('/etc/ufw/before.rules', 'utf8'));
  reloadUfw(dir);
  assert.equal(dnatsInKernel(), 3);
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
  writeFileSync(file, unfixed);
  const found = reloadFindings(file);
  assert.deepEqual(found.map((d) => dnatLine(file, d)), [3]);

  const fixedText = applyFix(unfixed, found[0].fixes![0]);
  const fixed = startUfw('ACCEPT', fixedText);
  assert.deepEqual(reloadFindings(fixed.file), []);
  reloadUfw(fixed.dir);
  reloadUfw(fixed.dir);
  assert.equal(dnatsInKernel(), 1);
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
  // the port forward taken out of the fixed file: gone at the next reload
  writeFileSync(fixed.file, fixedText.replace(/^-A PREROUTING .*-j DNAT.*\n/m, ''));
  reloadUfw(fixed.dir);
  assert.equal(dnatsInKernel(), 0);
  assert.notDeepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
});

test('ufw reload with MANAGE_BUILTINS=yes: ufw empties nat PREROUTING itself, the port forward stays single, and nothing is reported', { skip, timeout: 60_000 }, () => {
  const { dir, file } = startUfw('ACCEPT', beforeRules(), undefined, true);
  reloadUfw(dir);
  reloadUfw(dir);
  assert.equal(dnatsInKernel(), 1);
  assert.deepEqual(connectFrom(net.client, net.pair.addrA, 8080, 1, 1500), ['server']);
  assert.deepEqual(reloadFindings(file), []);
});

/** A MASQUERADE of the client's network out of the far side, above before.rules as ufw installs it (the client reaches the server through the router). */
function masqueradeRules(): string {
  return `*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 10.200.115.0/24 -o ${net.farDev} -j MASQUERADE\nCOMMIT\n\n${readFileSync('/etc/ufw/before.rules', 'utf8')}`;
}

function masqueradeFindings(file: string) {
  return new FirewallDocument(readFileSync(file, 'utf8'), { fileName: file }).diagnostics({ settings: workspaceSettings(file) }).filter((d) => d.code === 'masquerade-without-forward-accept');
}

test('ufw: a MASQUERADE in before.rules under DEFAULT_FORWARD_POLICY="DROP": the client reaches nothing through the router, and the rule is reported; its fix lets it through', { skip, timeout: 60_000 }, () => {
  const { file } = startUfw('DROP', masqueradeRules());
  assert.deepEqual(connectFrom(net.client, '10.200.116.2', 80, 1, 1500), ['timeout']);
  const [finding, ...more] = masqueradeFindings(file);
  assert.equal(more.length, 0);
  assert.equal(dnatLine(file, finding), 3);
  const { file: fixed } = startUfw('DROP', applyFix(readFileSync(file, 'utf8'), finding.fixes![0]));
  assert.deepEqual(connectFrom(net.client, '10.200.116.2', 80, 1, 1500), ['server']);
  assert.deepEqual(masqueradeFindings(fixed), []);
});

test('ufw: the same MASQUERADE under DEFAULT_FORWARD_POLICY="ACCEPT": the client gets through, and the MASQUERADE is not reported', { skip, timeout: 60_000 }, () => {
  const { file } = startUfw('ACCEPT', masqueradeRules());
  assert.deepEqual(connectFrom(net.client, '10.200.116.2', 80, 1, 1500), ['server']);
  assert.deepEqual(masqueradeFindings(file), []);
});

test('ufw: the MASQUERADE under DEFAULT_FORWARD_POLICY="ACCEPT" leaves the network behind it open to the outside: a host there connects in, and lan-reachable-from-wan says so; its fix closes it, the way out stays open', { skip, timeout: 60_000 }, async () => {
  const lan = await listenIn(net.client, '10.200.115.2', 445, 'lan');
  try {
    const { file } = startUfw('ACCEPT', masqueradeRules());
    assert.deepEqual(connectFrom(net.far, '10.200.115.2', 445, 1, 1500), ['lan']);
    const found = new FirewallDocument(readFileSync(file, 'utf8'), { fileName: file }).diagnostics({ settings: workspaceSettings(file) }).filter((d) => d.code === 'lan-reachable-from-wan');
    assert.deepEqual(found.map((d) => dnatLine(file, d)), [3]);
    const { file: fixed } = startUfw('ACCEPT', applyFix(readFileSync(file, 'utf8'), found[0].fixes![0]));
    assert.deepEqual(connectFrom(net.far, '10.200.115.2', 445, 1, 1500), ['timeout']);
    assert.deepEqual(connectFrom(net.client, '10.200.116.2', 80, 1, 1500), ['server']);
    assert.deepEqual(new FirewallDocument(readFileSync(fixed, 'utf8'), { fileName: fixed }).diagnostics({ settings: workspaceSettings(fixed) }).filter((d) => d.code === 'lan-reachable-from-wan'), []);
  } finally {
    lan.kill();
  }
});

test('ufw: a DROP of port 22 in before.rules comes before `ufw allow 22/tcp`: SSH connections to the router time out, and the line is reported; without it they connect and nothing is', { skip, timeout: 60_000 }, async () => {
  const ssh = await listenIn(net.router, net.pair.addrA, 22, 'ssh');
  try {
    const shipped = readFileSync('/etc/ufw/before.rules', 'utf8');
    const lockouts = (file: string) => new FirewallDocument(readFileSync(file, 'utf8'), { fileName: file }).diagnostics({ settings: workspaceSettings(file) }).filter((d) => d.code === 'ssh-lockout-risk');
    const open = startUfw('DROP', shipped);
    ufw(open.dir, 'allow', '22/tcp');
    assert.deepEqual(connectFrom(net.client, net.pair.addrA, 22, 1, 1500), ['ssh']);
    assert.deepEqual(lockouts(open.file), []);
    const closed = startUfw('DROP', shipped.replace('-A ufw-before-input -i lo -j ACCEPT\n', '-A ufw-before-input -i lo -j ACCEPT\n-A ufw-before-input -p tcp --dport 22 -j DROP\n'));
    ufw(closed.dir, 'allow', '22/tcp');
    assert.deepEqual(connectFrom(net.client, net.pair.addrA, 22, 1, 1500), ['timeout']);
    const text = readFileSync(closed.file, 'utf8');
    assert.deepEqual(lockouts(closed.file).map((d) => text.slice(d.span.start, d.span.end)), ['-A ufw-before-input -p tcp --dport 22 -j DROP']);
  } finally {
    ssh.kill();
  }
});

test('ufw over IPv6: a MASQUERADE of the client\'s unique local network in before6.rules (ufw6 chains, ip6tables) is stopped by the DROP policy and reported there; under ACCEPT it gets through', { skip, timeout: 60_000 }, () => {
  const before6 = `*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s ${net.v6.lanHost.replace(/::2$/, '::')}/64 -o ${net.farDev} -j MASQUERADE\nCOMMIT\n\n${readFileSync('/etc/ufw/before6.rules', 'utf8')}`;
  const found = (file: string) => new FirewallDocument(readFileSync(file, 'utf8'), { fileName: file }).diagnostics({ settings: workspaceSettings(file) }).filter((d) => d.code === 'masquerade-without-forward-accept');
  const dropped = startUfw('DROP', beforeRules(), before6);
  assert.deepEqual(connectFrom(net.client, net.v6.outside, 80, 1, 1500), ['timeout']);
  assert.deepEqual(found(dropped.file6).map((d) => dnatLine(dropped.file6, d)), [3]);
  const accepted = startUfw('ACCEPT', beforeRules(), before6);
  assert.deepEqual(connectFrom(net.client, net.v6.outside, 80, 1, 1500), ['server6']);
  assert.deepEqual(found(accepted.file6), []);
});

test('ufw: a REDIRECT of port 80 to a service on 8080 in before.rules without `ufw allow 8080`: the client times out, and the REDIRECT is reported; allowed, or with the finding\'s fix, it connects and nothing is', { skip, timeout: 90_000 }, async () => {
  const service = await listenIn(net.router, net.pair.addrA, 8080, 'proxy');
  try {
    const redirect = `-A PREROUTING -i ${net.pair.devA} -p tcp --dport 80 -j REDIRECT --to-ports 8080`;
    const text = `*nat\n:PREROUTING ACCEPT [0:0]\n${redirect}\nCOMMIT\n\n${readFileSync('/etc/ufw/before.rules', 'utf8')}`;
    const redirects = (file: string) => new FirewallDocument(readFileSync(file, 'utf8'), { fileName: file }).diagnostics({ settings: workspaceSettings(file) }).filter((d) => d.code === 'redirect-without-input-accept');
    const closed = startUfw('DROP', text);
    ufw(closed.dir, 'allow', '22/tcp');
    assert.deepEqual(connectFrom(net.client, net.pair.addrA, 80, 1, 1500), ['timeout']);
    const found = redirects(closed.file);
    assert.deepEqual(found.map((d) => text.slice(d.span.start, d.span.end)), [redirect]);
    // the finding's fix: the redirected connections accepted in ufw-before-input
    const fixed = startUfw('DROP', applyFix(text, found[0].fixes![0]));
    ufw(fixed.dir, 'allow', '22/tcp');
    assert.deepEqual(connectFrom(net.client, net.pair.addrA, 80, 1, 1500), ['proxy']);
    assert.deepEqual(redirects(fixed.file), []);
    // or the port allowed the ufw way, which user.rules keeps
    const allowed = startUfw('DROP', text);
    ufw(allowed.dir, 'allow', '8080/tcp');
    assert.deepEqual(connectFrom(net.client, net.pair.addrA, 80, 1, 1500), ['proxy']);
    assert.deepEqual(redirects(allowed.file), []);
  } finally {
    service.kill();
  }
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { ufwCompanionPaths, workspaceUfw } from '../../../server/src/node/ufwFiles.ts';
import { workspaceSettings } from '../../../server/src/node/workspaceSettings.ts';
import { dist, needBuild } from '../../support/paths.ts';

/** A host's /etc with ufw's folder and defaults: before.rules with a port forward to 10.0.0.2:80. */
function etc(defaults: string | undefined): { root: string; before: string } {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-ufw-'));
  mkdirSync(join(root, 'etc', 'ufw'), { recursive: true });
  mkdirSync(join(root, 'etc', 'default'));
  if (defaults !== undefined) writeFileSync(join(root, 'etc', 'default', 'ufw'), defaults);
  const before = join(root, 'etc', 'ufw', 'before.rules');
  writeFileSync(before, '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i eth0 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.2:80\nCOMMIT\n*filter\n:ufw-before-forward - [0:0]\n-A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n');
  return { root, before };
}

test('ufw\'s surroundings of a rules file: /etc/default/ufw beside /etc/ufw, the other rules files of its family', () => {
  const { root, before } = etc('IPV6=yes\nDEFAULT_FORWARD_POLICY="DROP"\n');
  assert.deepEqual(ufwCompanionPaths(before), [join(root, 'etc/ufw/after.rules'), join(root, 'etc/ufw/user.rules'), join(root, 'etc/default/ufw')]);
  assert.deepEqual(ufwCompanionPaths(join(root, 'etc/ufw/user6.rules')).slice(0, 2), [join(root, 'etc/ufw/before6.rules'), join(root, 'etc/ufw/after6.rules')]);
  // ufw loads the others without a missing one
  assert.deepEqual(workspaceUfw(before), { workspaceUfw: { role: 'before', defaults: { file: join(root, 'etc/default/ufw'), forwardPolicy: 'DROP', inputPolicy: 'DROP' }, files: [] } });
  writeFileSync(join(root, 'etc/ufw/user.rules'), '*filter\n:ufw-user-forward - [0:0]\nCOMMIT\n');
  writeFileSync(join(root, 'etc/ufw/user6.rules'), '*filter\nCOMMIT\n');
  assert.deepEqual(workspaceUfw(before).workspaceUfw?.files.map((f) => [f.role, f.file]), [['user', join(root, 'etc/ufw/user.rules')]]);
  // the editor's text of an open file counts, saved or not
  const open = (path: string) => (path === join(root, 'etc/ufw/after.rules') ? new FirewallDocument('*filter\nCOMMIT\n', { fileName: path }) : undefined);
  assert.deepEqual(workspaceUfw(before, open).workspaceUfw?.files.map((f) => f.role), ['after', 'user']);
  // only ufw's names
  assert.deepEqual(workspaceUfw(join(root, 'etc/ufw/rules.v4')), {});
});

test('ufw\'s surroundings: none without /etc/default/ufw, for an IPv6 file where it turns IPv6 off, or where another rules file is too big to read', () => {
  assert.deepEqual(workspaceUfw(etc(undefined).before), {});
  const { root } = etc('IPV6=no\n');
  assert.deepEqual(workspaceUfw(join(root, 'etc/ufw/before6.rules')), {});
  assert.equal(workspaceUfw(join(root, 'etc/ufw/before.rules')).workspaceUfw?.defaults.forwardPolicy, 'DROP');
  writeFileSync(join(root, 'etc/ufw/after.rules'), '#'.repeat((1 << 20) + 1));
  assert.deepEqual(workspaceUfw(join(root, 'etc/ufw/before.rules')), {});
});

test('a port forward in before.rules, judged with the files around it: dropped under DEFAULT_FORWARD_POLICY="DROP", not under ACCEPT', () => {
  const { root, before } = etc('DEFAULT_FORWARD_POLICY="DROP"\n');
  const codes = () => new FirewallDocument(readFileSync(before, 'utf8'), { fileName: before }).diagnostics({ settings: workspaceSettings(before) }).map((d) => d.code);
  assert.ok(codes().includes('dnat-without-forward-accept'));
  writeFileSync(join(root, 'etc/default/ufw'), 'DEFAULT_FORWARD_POLICY="ACCEPT"\n');
  assert.ok(!codes().includes('dnat-without-forward-accept'));
});

test('the CLI reads ufw\'s files around a rules file', { skip: needBuild() }, () => {
  const { before } = etc('DEFAULT_FORWARD_POLICY="DROP"\n');
  const r = spawnSync(process.execPath, [dist('iptables-lint.cjs'), '--format', 'json', before], { encoding: 'utf8' });
  const findings = (JSON.parse(r.stdout) as { files: { diagnostics: { code: string; line: number }[] }[] }).files[0].diagnostics;
  assert.deepEqual(findings.filter((d) => d.code === 'dnat-without-forward-accept').map((d) => d.line), [3]);
});

test('forwarding in a ufw setup: the finding names the sysctl file ufw applies (IPT_SYSCTL), and that file beside the rules turns it off', () => {
  const { root, before } = etc('DEFAULT_FORWARD_POLICY="ACCEPT"\nIPT_SYSCTL=/etc/ufw/sysctl.conf\n');
  const forwarding = () => new FirewallDocument(readFileSync(before, 'utf8'), { fileName: before }).diagnostics({ settings: workspaceSettings(before) }).filter((d) => d.code === 'missing-ip-forward');
  const [finding] = forwarding();
  assert.equal(finding.severity, 'warning');
  assert.ok(finding.message.includes('/etc/ufw/sysctl.conf'));
  // as ufw ships it, commented out
  writeFileSync(join(root, 'etc/ufw/sysctl.conf'), '#net/ipv4/ip_forward=1\n');
  assert.equal(forwarding().length, 1);
  writeFileSync(join(root, 'etc/ufw/sysctl.conf'), 'net/ipv4/ip_forward=1\n');
  assert.deepEqual(forwarding(), []);
});

test('the CLI\'s trace of before.rules goes through ufw\'s chains to the policy of /etc/default/ufw, or to the route rule of user.rules', { skip: needBuild() }, () => {
  const { root, before } = etc('DEFAULT_FORWARD_POLICY="DROP"\n');
  const trace = () => JSON.parse(spawnSync(process.execPath, [dist('iptables-lint.cjs'), 'trace', before, '--packet', 'in=eth0 proto=tcp dst=203.0.113.1 dport=8080 local=203.0.113.1', '--format', 'json'], { encoding: 'utf8' }).stdout) as { verdict: string; path: { chain: string; line?: number; file?: string; policy?: string }[] };
  const dropped = trace();
  assert.equal(dropped.verdict, 'DROP');
  assert.deepEqual(dropped.path.at(-1), { hook: 'FORWARD', table: 'filter', chain: 'FORWARD', kind: 'policy', policy: 'DROP' });
  assert.ok(dropped.path.some((s) => s.chain === 'FORWARD' && s.line === undefined), 'ufw\'s own jumps, without a line');
  const user = join(root, 'etc/ufw/user.rules');
  writeFileSync(user, '*filter\n:ufw-user-forward - [0:0]\n-A ufw-user-forward -p tcp -d 10.0.0.2 --dport 80 -j ACCEPT\nCOMMIT\n');
  const accepted = trace();
  assert.equal(accepted.verdict, 'ACCEPT');
  assert.ok(accepted.path.some((s) => s.chain === 'ufw-user-forward' && s.file === user && s.line === 3));
});

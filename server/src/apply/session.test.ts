import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FakeClock, FakeHost } from '../../../test/support/fakeHost.ts';
import { prepareRules } from './prepareRules.ts';
import { ApplyError, ApplySession, type ApplyOptions } from './session.ts';

/**
 * Every branch of the engine, driven through an injected runner that stands in for the host
 * (the real sshd and iptables are in test/apply). The runner records each call, so the tests
 * also check what ran, in which order, and that nothing ran where nothing may.
 */

const GOOD = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\nCOMMIT\n';
const NO_NEW_SSH = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n';
const WITH_NAT = GOOD + '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n';

const local = mkdtempSync(join(tmpdir(), 'iptables-lint-session-'));
after(() => rmSync(local, { recursive: true, force: true }));

function setup(text = GOOD, extra: Partial<ApplyOptions> = {}, fileName = 'rules.v4') {
  const clock = new FakeClock();
  const host = new FakeHost(clock);
  const prepared = prepareRules(text, { fileName });
  assert.ok(prepared.ok, !prepared.ok ? prepared.reason : '');
  const commands: string[][] = [];
  const steps: string[] = [];
  const session = new ApplySession(
    { target: { user: 'root', host: '10.200.77.2' }, ssh: { sshPath: '/usr/bin/ssh' }, rules: prepared.rules, rollbackSeconds: 5, localBackupFolder: local, ...extra },
    host,
    { command: (file, args) => commands.push([file, ...args]), step: (m) => steps.push(m) },
    clock,
  );
  return { clock, host, session, commands, steps };
}

test('good rules: preflight, checks, diff, backup, arm before apply, confirm, report', async () => {
  const { host, session, commands, steps } = setup(WITH_NAT);
  const plan = await session.plan();
  assert.equal(plan.refusal, undefined);
  assert.deepEqual(plan.checks.map((c) => [c.family, c.name, c.status]), [['ipv4', 'iptables-restore --test', 'passed'], ['ipv4', 'load into a throwaway namespace', 'passed']]);
  assert.equal(plan.lockout?.verdict, 'accept');
  assert.ok(plan.changed);
  const [fp] = plan.families;
  assert.deepEqual(fp.touched, ['filter', 'nat']);
  assert.match(fp.diff, /^--- root@10\.200\.77\.2 ipv4 nat \(loaded now: no such table\)$/m);
  assert.match(fp.diff, /^-:INPUT ACCEPT$/m);
  assert.match(fp.after, /-A POSTROUTING -o eth0 -j MASQUERADE/);
  assert.equal(fp.approximate, false);
  assert.deepEqual(host.steps(), ['preflight', 'save', 'test', 'namespace']);

  const applied = await session.apply(plan);
  assert.deepEqual(host.steps().slice(4), ['prepare', 'arm', 'apply']);
  // the backup names the nat table the host did not have, so a rollback removes it
  assert.match(host.backups.ipv4, /^\*nat\nCOMMIT$/m);
  assert.equal(applied.backups[0].text, host.backups.ipv4);
  assert.ok(applied.backups[0].localFile && readFileSync(applied.backups[0].localFile, 'utf8') === host.backups.ipv4);
  assert.match(applied.sessionDir, /^\/var\/backups\/iptables-lint\/\d{8}T\d{6}Z-[0-9a-f]{8}$/);
  assert.equal(host.loaded.ipv4, WITH_NAT);

  assert.deepEqual(await session.confirm(applied), { kept: true });
  assert.equal(host.armed, false);
  const now = await session.loadedNow();
  assert.match(now[0].text, /MASQUERADE/);
  // every command was ssh with an argument array, the rules on stdin, never in the command
  for (const c of commands) assert.equal(c[0], '/usr/bin/ssh');
  for (const call of host.calls) assert.ok(!call.remote.includes('MASQUERADE'));
  assert.ok(host.calls.filter((c) => c.step === 'apply').every((c) => c.input === ''));
  assert.equal(host.calls.find((c) => c.step === 'prepare')!.input, WITH_NAT);
  assert.ok(steps.some((s) => /Arming the rollback/.test(s)));
});

test('each step is a separate connection with no sharing; the confirm times out before the rollback', async () => {
  const { host, session, clock } = setup();
  const applied = await session.apply(await session.plan());
  clock.t += 2000;
  await session.confirm(applied);
  for (const c of host.calls) {
    assert.ok(c.args.includes('ControlMaster=no') && c.args.includes('ControlPath=none') && c.args.includes('BatchMode=yes'));
    assert.deepEqual(c.args.slice(c.args.indexOf('--'), c.args.indexOf('--') + 2), ['--', '10.200.77.2']);
  }
  const confirm = host.calls.find((c) => c.step === 'confirm')!;
  // 5 s rollback, 2 s gone: the connection may take 3 s at most
  assert.ok(confirm.args.includes('ConnectTimeout=3'));
});

test('a check that fails refuses with the reason; apply then refuses too and nothing is armed', async () => {
  const { host, session } = setup();
  host.override.namespace = () => ({ exitCode: 1, stdout: '', stderr: "iptables-restore: line 5 failed\nCouldn't load target `nowhere'\n" });
  const plan = await session.plan();
  assert.match(plan.refusal ?? '', /line 5 failed/);
  assert.equal(plan.checks[1].status, 'failed');
  await assert.rejects(session.apply(plan), (e: ApplyError) => e.kind === 'refused');
  assert.ok(!host.steps().includes('prepare') && !host.steps().includes('arm'));

  const t = setup();
  t.host.override.test = () => ({ exitCode: 2, stdout: '', stderr: 'iptables-restore v1.8.9 (nf_tables): unknown option "--bogus"\n' });
  assert.match((await t.session.plan()).refusal ?? '', /--bogus/);
});

test('no throwaway namespace on the host: skipped, and the diff uses our approximation', async () => {
  const { host, session } = setup('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -s 10.200.77.1 -j ACCEPT\nCOMMIT\n');
  host.override.namespace = () => ({ exitCode: 99, stdout: '', stderr: 'unshare --net is not allowed on this host' });
  const plan = await session.plan();
  assert.equal(plan.refusal, undefined);
  assert.equal(plan.checks[1].status, 'skipped');
  assert.equal(plan.families[0].approximate, true);
  assert.match(plan.families[0].after, /^-A INPUT -s 10\.200\.77\.1\/32 -p tcp -m tcp --dport 22 -j ACCEPT$/m);
});

test('lockout: rules that drop new ssh from this client are reported before the apply', async () => {
  const { session } = setup(NO_NEW_SSH);
  const plan = await session.plan();
  assert.equal(plan.lockout?.verdict, 'drop');
  assert.match(plan.lockout!.summary, /10\.200\.77\.1.*10\.200\.77\.2 port 22/);
  // an ipv6 client is not checked against ipv4 rules
  const v6 = setup(NO_NEW_SSH);
  v6.host.preflight = v6.host.preflight.map((l) => (l.startsWith('connection=') ? 'connection=2001:db8::5 40000 2001:db8::1 22' : l));
  assert.equal((await v6.session.plan()).lockout, undefined);
  // no $SSH_CONNECTION: said so
  const none = setup(NO_NEW_SSH);
  none.host.preflight = none.host.preflight.filter((l) => !l.startsWith('connection='));
  const p = await none.session.plan();
  assert.equal(p.lockout, undefined);
  assert.ok(p.warnings.some((w) => /lockout check could not run/.test(w)));
});

test('ssh failures in the preflight become errors of their kind, and nothing else runs', async () => {
  const cases: [string, string][] = [
    ['No ED25519 host key is known for 10.200.77.2 and you have requested strict checking.\nHost key verification failed.\n', 'host-key-unknown'],
    ['root@10.200.77.2: Permission denied (publickey).\n', 'auth-refused'],
    ['ssh: connect to host 10.200.77.2 port 22: Connection timed out\n', 'timeout'],
    ['ssh: connect to host 10.200.77.2 port 22: Connection refused\n', 'connection-refused'],
  ];
  for (const [stderr, kind] of cases) {
    const { host, session } = setup();
    host.override.preflight = () => ({ exitCode: 255, stdout: '', stderr });
    await assert.rejects(session.plan(), (e: ApplyError) => e.kind === kind);
    assert.deepEqual(host.steps(), ['preflight']);
  }
  const missing = setup();
  missing.host.override.preflight = () => ({ exitCode: -1, stdout: '', stderr: '', spawnError: 'ENOENT' });
  await assert.rejects(missing.session.plan(), (e: ApplyError) => e.kind === 'ssh-missing');
  const broken = setup();
  broken.host.override.preflight = () => ({ exitCode: 1, stdout: '', stderr: 'sh: 1: syntax error\n' });
  await assert.rejects(broken.session.plan(), (e: ApplyError) => e.kind === 'remote' && /syntax error/.test(e.message));
  const badSave = setup();
  badSave.host.override.save = () => ({ exitCode: 1, stdout: '', stderr: 'Permission denied (you must be root)\n' });
  await assert.rejects(badSave.session.plan(), (e: ApplyError) => e.kind === 'remote');
});

test('hosts that cannot take the rules are refused after the preflight', async () => {
  const { host, session } = setup();
  host.preflight = host.preflight.map((l) => (l === 'sudo=root' ? 'sudo=no' : l.startsWith('uid=') ? 'uid=1000' : l));
  await assert.rejects(session.plan(), (e: ApplyError) => e.kind === 'refused' && /root/.test(e.message));
  assert.deepEqual(host.steps(), ['preflight']);
  const noIptables = setup();
  noIptables.host.preflight = noIptables.host.preflight.filter((l) => !l.startsWith('iptables=') && !l.startsWith('have=ip'));
  await assert.rejects(noIptables.session.plan(), (e: ApplyError) => e.kind === 'refused' && /not installed/.test(e.message));
});

test('sudo: a non-root login with sudo -n runs every privileged command behind it', async () => {
  const { host, session } = setup();
  host.preflight = host.preflight.map((l) => (l === 'sudo=root' ? 'sudo=yes' : l.startsWith('uid=') ? 'uid=1000' : l));
  const plan = await session.plan();
  assert.equal(plan.sudo, true);
  await session.confirm(await session.apply(plan));
  const [pre, ...rest] = host.calls;
  assert.match(pre.remote, /^sh -c /);
  for (const c of rest) assert.match(c.remote, /^sudo -n sh -c /, c.step);
});

test('legacy backend: the legacy tools do everything', async () => {
  const { host, session } = setup();
  host.preflight = host.preflight.map((l) => (l.startsWith('iptables=') ? 'iptables=iptables v1.8.9 (legacy)' : l)).concat('have=iptables-legacy-restore', 'have=iptables-legacy-save');
  await session.confirm(await session.apply(await session.plan()));
  const remote = host.calls.filter((c) => c.step !== 'preflight').map((c) => c.remote).join('\n');
  assert.ok(!remote.includes('nft'));
  assert.match(remote, /iptables-legacy-restore --test/);
  assert.match(remote, /iptables-legacy-restore < /);
});

test('warnings: legacy tables next to nft ones, forwarding the script expects', async () => {
  const { host, session } = setup();
  host.loaded.ipv4 = '# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n' + host.loaded.ipv4;
  assert.ok((await session.plan()).warnings.some((w) => /iptables-legacy/.test(w)));
  const script = setup('#!/bin/sh\nsysctl -w net.ipv4.ip_forward=1\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n', {}, 'fw.sh');
  const plan = await script.session.plan();
  assert.ok(plan.warnings.some((w) => /ip_forward=1 but the host has 0/.test(w)));
});

test('two families: both checked, backed up, armed and applied together', async () => {
  const { host, session } = setup('#!/bin/sh\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\nip6tables -A INPUT -p tcp --dport 22 -j ACCEPT\n', {}, 'fw.sh');
  const plan = await session.plan();
  assert.deepEqual(plan.families.map((f) => f.family), ['ipv4', 'ipv6']);
  assert.deepEqual(plan.checks.map((c) => c.family), ['ipv4', 'ipv4', 'ipv6', 'ipv6']);
  await session.apply(plan);
  const arm = host.calls.find((c) => c.step === 'arm')!;
  assert.match(arm.remote, /iptables-nft-restore < \S+backup\.ipv4 && ip6tables-nft-restore < \S+backup\.ipv6/);
  assert.match(host.loaded.ipv6, /--dport 22/);
});

test('unchanged rules: the plan says so', async () => {
  const { host, session } = setup();
  host.loaded.ipv4 = GOOD;
  assert.equal((await session.plan()).changed, false);
});

test('cancel: during the plan, before the arm (nothing armed), after the arm (disarmed), never mid-apply', async () => {
  const a = setup();
  const c1 = new AbortController();
  a.host.abortAt = { step: 'test', controller: c1 };
  await assert.rejects(a.session.plan(c1.signal), (e: ApplyError) => e.kind === 'cancelled');
  assert.deepEqual(a.host.steps(), ['preflight', 'save', 'test']);

  const b = setup();
  const plan = await b.session.plan();
  const c2 = new AbortController();
  b.host.abortAt = { step: 'prepare', controller: c2 };
  await assert.rejects(b.session.apply(plan, c2.signal), (e: ApplyError) => e.kind === 'cancelled');
  assert.ok(!b.host.steps().includes('arm') && !b.host.steps().includes('apply'));

  const c = setup();
  const plan3 = await c.session.plan();
  const c3 = new AbortController();
  c.host.abortAt = { step: 'arm', controller: c3 };
  // the arm itself is not interrupted; once it is done the cancel disarms instead of applying
  c.host.override.arm = () => {
    c.host.armed = true;
    return { exitCode: 0, stdout: 'rollback=1\n', stderr: '' };
  };
  await assert.rejects(c.session.apply(plan3, c3.signal), (e: ApplyError) => e.kind === 'cancelled');
  assert.deepEqual(c.host.steps().slice(-2), ['arm', 'confirm']);
  assert.equal(c.host.armed, false);
  assert.ok(!c.host.steps().includes('apply'));
});

test('apply failures: restore refused (backup back), arm failed, connection lost mid-apply (rollback pending)', async () => {
  const a = setup();
  a.host.override.apply = () => ({ exitCode: 98, stdout: '', stderr: 'iptables-restore failed: the backup is put back\n' });
  await assert.rejects(a.session.apply(await a.session.plan()), (e: ApplyError) => e.kind === 'apply-failed' && !e.pending);

  const b = setup();
  b.host.override.arm = () => ({ exitCode: 1, stdout: '', stderr: 'the rollback did not start\n' });
  await assert.rejects(b.session.apply(await b.session.plan()), (e: ApplyError) => e.kind === 'remote' && /did not start/.test(e.message));
  assert.ok(!b.host.steps().includes('apply'));

  const c = setup();
  c.host.override.apply = () => ({ exitCode: 255, stdout: '', stderr: 'Connection closed by 10.200.77.2 port 22\n' });
  await assert.rejects(c.session.apply(await c.session.plan()), (e: ApplyError) => e.kind === 'connection-lost' && e.pending !== undefined && /rollback restores/.test(e.message));

  const d = setup();
  d.host.override.apply = () => ({ exitCode: 97, stdout: '', stderr: 'the rollback is not armed: nothing applied\n' });
  await assert.rejects(d.session.apply(await d.session.plan()), (e: ApplyError) => e.kind === 'remote' && e.pending !== undefined);

  const e2 = setup();
  e2.host.override.prepare = () => ({ exitCode: 1, stdout: '', stderr: 'mkdir: cannot create directory: Read-only file system\n' });
  await assert.rejects(e2.session.apply(await e2.session.plan()), (e: ApplyError) => e.kind === 'remote' && /Read-only/.test(e.message));
  assert.ok(!e2.host.steps().includes('arm'));
});

test('confirm fails over a new connection (lockout): the rollback fires and is reported', async () => {
  const { host, session, clock } = setup(NO_NEW_SSH);
  const applied = await session.apply(await session.plan());
  host.override.confirm = () => ({ exitCode: 255, stdout: '', stderr: 'ssh: connect to host 10.200.77.2 port 22: Connection timed out\n' });
  const c = await session.confirm(applied);
  assert.equal(c.kept, false);
  assert.ok(!c.kept && c.kind === 'timeout');
  const before = clock.now();
  const report = await session.waitForRollback(applied);
  assert.ok(clock.now() >= applied.firesBy && clock.now() - before < 10_000);
  assert.equal(report.rolledBack, 'restored');
  assert.match(report.loaded![0].text, /--dport 80/);
  assert.equal(host.loaded.ipv4, host.backups.ipv4);
});

test('confirm too late, confirm with a remote error, confirm after the deadline passed locally', async () => {
  const a = setup();
  const applied = await a.session.apply(await a.session.plan());
  a.host.armed = false;
  assert.deepEqual(await a.session.confirm(applied), { kept: false, kind: 'too-late', reason: 'the rollback had already fired' });

  const b = setup();
  const applied2 = await b.session.apply(await b.session.plan());
  b.host.override.confirm = () => ({ exitCode: 1, stdout: '', stderr: 'cd: no such directory\n' });
  const r = await b.session.confirm(applied2);
  assert.ok(!r.kept && r.kind === 'remote');

  // past the local deadline the confirm is still tried: the host's marker decides
  const c = setup();
  const applied3 = await c.session.apply(await c.session.plan());
  c.clock.t = applied3.deadline + 1;
  c.host.override.confirm = (call) => {
    assert.ok(call.args.includes('ConnectTimeout=1'));
    return undefined;
  };
  const late = await c.session.confirm(applied3);
  assert.ok(!late.kept && late.kind === 'too-late');
  assert.ok(c.host.steps().includes('confirm'));
});

test('revert: now, too late, or unreachable (the rollback will do it)', async () => {
  const a = setup();
  const applied = await a.session.apply(await a.session.plan());
  assert.deepEqual(await a.session.revert(applied), { reverted: true });
  assert.match(a.host.loaded.ipv4, /--dport 80/);
  assert.equal((await a.session.revert(applied)).reverted, false);

  const b = setup();
  const applied2 = await b.session.apply(await b.session.plan());
  b.host.override.revert = () => ({ exitCode: 255, stdout: '', stderr: 'Connection timed out\n' });
  const r = await b.session.revert(applied2);
  assert.ok(!r.reverted && /rollback restores/.test(r.reason));
  b.host.override.revert = () => ({ exitCode: 3, stdout: '', stderr: 'iptables-restore: line 1 failed\n' });
  const r2 = await b.session.revert(applied2);
  assert.ok(!r2.reverted && /line 1 failed/.test(r2.reason));
});

test('waiting for the rollback: host unreachable, still armed, restore failed', async () => {
  const a = setup();
  const applied = await a.session.apply(await a.session.plan());
  a.host.override.status = () => ({ exitCode: 255, stdout: '', stderr: 'Connection refused\n' });
  const r = await a.session.waitForRollback(applied);
  assert.match(r.unreachable ?? '', /refused/);
  assert.equal(a.host.calls.filter((c) => c.step === 'status').length, 3);

  const b = setup();
  const applied2 = await b.session.apply(await b.session.plan());
  b.host.override.status = () => ({ exitCode: 0, stdout: 'armed\n', stderr: '' });
  assert.equal((await b.session.waitForRollback(applied2)).stillArmed, true);

  const c = setup();
  const applied3 = await c.session.apply(await c.session.plan());
  c.host.override.status = () => ({ exitCode: 0, stdout: 'rolled-back=restore-failed\n', stderr: '' });
  assert.equal((await c.session.waitForRollback(applied3)).rolledBack, 'restore-failed');
});

test('the session refuses hostile targets, bad remote folders and bad delays before running anything', () => {
  const host = new FakeHost();
  const prepared = prepareRules(GOOD, { fileName: 'rules.v4' });
  assert.ok(prepared.ok);
  const base = { ssh: {}, rules: prepared.rules, rollbackSeconds: 5 };
  for (const target of [{ host: '-oProxyCommand=touch /tmp/x' }, { host: 'a;b' }, { host: 'h', user: '$(id)' }, { host: 'h\n' }]) {
    assert.throws(() => new ApplySession({ ...base, target }, host), (e: ApplyError) => e.kind === 'refused');
  }
  assert.throws(() => new ApplySession({ ...base, target: { host: 'h' }, remoteDir: '/tmp/$(id)' }, host), ApplyError);
  assert.throws(() => new ApplySession({ ...base, target: { host: 'h' }, rollbackSeconds: 0 }, host), ApplyError);
  assert.throws(() => new ApplySession({ ...base, target: { host: 'h' }, rollbackSeconds: 2.5 }, host), ApplyError);
  assert.equal(host.calls.length, 0);
});

test('no local backup folder: nothing written locally; remote folder as chosen', async () => {
  const { session } = setup(GOOD, { localBackupFolder: undefined, remoteDir: '/srv/fw-backups/' });
  const applied = await session.apply(await session.plan());
  assert.equal(applied.backups[0].localFile, undefined);
  assert.match(applied.sessionDir, /^\/srv\/fw-backups\/\d{8}T/);
});

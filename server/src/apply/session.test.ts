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

test('warnings: route_localnet the script sets otherwise than the host has, or for an interface the host lacks', async () => {
  const text = '#!/bin/sh\nsysctl -w net.ipv4.conf.eth0.route_localnet=1\necho 1 > /proc/sys/net/ipv4/conf/wg0/route_localnet\nsysctl -w net.ipv4.conf.all.route_localnet=0\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 127.0.0.1:8080\n';
  const { host, session } = setup(text, {}, 'fw.sh');
  host.preflight = [...host.preflight, 'route_localnet=all 0', 'route_localnet=default 0', 'route_localnet=eth0 0', 'route_localnet=lo 0'];
  const warnings = (await session.plan()).warnings.filter((w) => /route_localnet/.test(w));
  assert.deepEqual(warnings.map((w) => /conf\.(\S+)\.route_localnet=(\d) but the host has ([^\s:]+)/.exec(w)!.slice(1)), [['eth0', '1', '0'], ['wg0', '1', 'no']]);
  // a host that did not report them (an older preflight): nothing to compare
  const quiet = setup(text, {}, 'fw.sh');
  assert.deepEqual((await quiet.session.plan()).warnings.filter((w) => /route_localnet/.test(w)), []);
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

test('loadedNow: refused before plan(), a failed save is a remote error naming the tool', async () => {
  const { host, session } = setup();
  await assert.rejects(session.loadedNow(), (e: ApplyError) => e.kind === 'remote' && /plan\(\) has not run/.test(e.message));
  assert.equal(host.calls.length, 0);

  await session.plan();
  host.override.save = () => ({ exitCode: 4, stdout: '', stderr: 'iptables-nft-save: cannot open the table\n' });
  await assert.rejects(session.loadedNow(), (e: ApplyError) => e.kind === 'remote' && /^iptables-nft-save failed on root@10\.200\.77\.2: iptables-nft-save: cannot open the table$/.test(e.message));
  // no stderr at all: the exit status says what happened
  host.override.save = () => ({ exitCode: 4, stdout: '', stderr: '' });
  await assert.rejects(session.loadedNow(), (e: ApplyError) => e.kind === 'remote' && /exit status 4/.test(e.message));
});

test('a cancel seen once the backups are made: nothing armed, nothing applied, the backups kept', async () => {
  const { host, session } = setup();
  const plan = await session.plan();
  const c = new AbortController();
  // the backup's own connection finishes; the cancel lands while it runs
  host.override.prepare = () => {
    c.abort();
    return undefined;
  };
  await assert.rejects(session.apply(plan, c.signal), (e: ApplyError) => e.kind === 'cancelled' && /backup stays on the host/.test(e.message) && !e.pending);
  assert.deepEqual(host.steps().slice(4), ['prepare']);
  assert.equal(host.armed, false);
  assert.match(host.backups.ipv4, /--dport 80/);
  assert.match(host.loaded.ipv4, /--dport 80/);
});

test('an abort before any step runs nothing at all', async () => {
  const { host, session } = setup();
  const c = new AbortController();
  c.abort();
  await assert.rejects(session.plan(c.signal), (e: ApplyError) => e.kind === 'cancelled');
  assert.equal(host.calls.length, 0);
});

test('waiting for the rollback: one failed attempt, then the report', async () => {
  const { host, session, clock } = setup(NO_NEW_SSH);
  const applied = await session.apply(await session.plan());
  // still locked out when the rollback should have fired; the next connection gets through
  host.override.status = (_call, nth) => (nth === 1 ? { exitCode: 255, stdout: '', stderr: 'ssh: connect to host 10.200.77.2 port 22: Connection timed out\n' } : undefined);
  const report = await session.waitForRollback(applied);
  assert.equal(report.unreachable, undefined);
  assert.equal(report.rolledBack, 'restored');
  assert.equal(report.stillArmed, false);
  assert.match(report.loaded![0].text, /--dport 80/);
  const statuses = host.calls.filter((c) => c.step === 'status');
  assert.equal(statuses.length, 2);
  // the first try came after the rollback's time, the retry 2 s later
  assert.ok(clock.now() >= applied.firesBy + 1500 + 2000);
  for (const s of statuses) assert.ok(s.args.includes('ConnectTimeout=5'));
});

test('waiting for the rollback past its time: no wait, straight to the status', async () => {
  const { host, session, clock, steps } = setup();
  const applied = await session.apply(await session.plan());
  clock.t = applied.firesBy + 10_000;
  const before = clock.now();
  const report = await session.waitForRollback(applied);
  assert.equal(report.rolledBack, 'restored');
  assert.equal(clock.now(), before);
  assert.ok(!steps.some((s) => /^Waiting/.test(s)));
  assert.deepEqual(host.steps().slice(-2), ['status', 'save']);
});

test('apply() on a session that never ran plan(): tools and sudo come from the plan', async () => {
  // the plan comes from one session, a second one applies it (a legacy host with sudo)
  const first = setup();
  first.host.preflight = first.host.preflight.map((l) => (l.startsWith('iptables=') ? 'iptables=iptables v1.8.9 (legacy)' : l === 'sudo=root' ? 'sudo=yes' : l.startsWith('uid=') ? 'uid=1000' : l)).concat('have=iptables-legacy-restore', 'have=iptables-legacy-save');
  const plan = await first.session.plan();
  const second = setup();
  second.host.loaded = first.host.loaded;
  const applied = await second.session.apply(plan);
  assert.deepEqual(second.host.steps(), ['prepare', 'arm', 'apply']);
  for (const c of second.host.calls) {
    assert.match(c.remote, /^sudo -n sh -c /, c.step);
    assert.ok(!c.remote.includes('-nft-'), c.step);
  }
  assert.match(second.host.calls[0].remote, /iptables-legacy-save > /);
  assert.equal(second.host.loaded.ipv4, GOOD);
  // the rest of the session works with the same tools
  assert.deepEqual(await second.session.confirm(applied), { kept: true });
  const now = await second.session.loadedNow();
  assert.match(now[0].text, /:INPUT DROP/);
  assert.match(second.host.calls.at(-1)!.remote, /^sudo -n sh -c '.*iptables-legacy-save'$/);
  // and a refused plan stays refused here too, before anything runs
  const third = setup();
  await assert.rejects(third.session.apply({ ...plan, refusal: 'the host said no' }), (e: ApplyError) => e.kind === 'refused' && e.message === 'the host said no');
  assert.equal(third.host.calls.length, 0);
});

test('confirm, revert and waitForRollback on a session that never ran plan() or apply()', async () => {
  // a sudo host: the later sessions must use sudo -n and the plan's tools without a preflight
  const sudoHost = (h: FakeHost) => (h.preflight = h.preflight.map((l) => (l === 'sudo=root' ? 'sudo=yes' : l.startsWith('uid=') ? 'uid=1000' : l)));
  const a = setup();
  sudoHost(a.host);
  const applied = await a.session.apply(await a.session.plan());
  const later = () => new ApplySession(a.session.opts, a.host, {}, a.clock);
  const from = a.host.calls.length;
  assert.deepEqual(await later().revert(applied), { reverted: true });
  assert.match(a.host.loaded.ipv4, /--dport 80/);
  assert.match(a.host.calls[from].remote, /^sudo -n sh -c '.*iptables-nft-restore < \S+\/backup\.ipv4/);

  const b = setup();
  sudoHost(b.host);
  const applied2 = await b.session.apply(await b.session.plan());
  const confirmFrom = b.host.calls.length;
  assert.deepEqual(await new ApplySession(b.session.opts, b.host, {}, b.clock).confirm(applied2), { kept: true });
  assert.match(b.host.calls[confirmFrom].remote, /^sudo -n sh -c /);

  const c = setup();
  sudoHost(c.host);
  const applied3 = await c.session.apply(await c.session.plan());
  const waitFrom = c.host.calls.length;
  const report = await new ApplySession(c.session.opts, c.host, {}, c.clock).waitForRollback(applied3);
  assert.equal(report.rolledBack, 'restored');
  assert.match(report.loaded![0].text, /--dport 80/);
  assert.deepEqual(c.host.calls.slice(waitFrom).map((x) => x.step), ['status', 'save']);
  for (const x of c.host.calls.slice(waitFrom)) assert.match(x.remote, /^sudo -n sh -c /);
});

test('an armed rollback that does not say its process: the apply stops there', async () => {
  const { host, session } = setup();
  host.override.arm = () => ({ exitCode: 0, stdout: '', stderr: '' });
  await assert.rejects(session.apply(await session.plan()), (e: ApplyError) => e.kind === 'remote' && /arming the rollback failed.*exit status 0/.test(e.message));
  assert.ok(!host.steps().includes('apply'));
});

test('messages from silent failures name the exit status', async () => {
  const pre = setup();
  pre.host.override.preflight = () => ({ exitCode: 126, stdout: '', stderr: '' });
  await assert.rejects(pre.session.plan(), (e: ApplyError) => e.kind === 'remote' && /the preflight failed on root@10\.200\.77\.2: exit status 126/.test(e.message));

  const checks = setup();
  checks.host.override.test = () => ({ exitCode: 2, stdout: '', stderr: '' });
  checks.host.override.namespace = () => ({ exitCode: 1, stdout: '', stderr: '\n' });
  const plan = await checks.session.plan();
  assert.deepEqual(plan.checks.map((c) => [c.status, c.detail]), [['failed', 'exit status 2'], ['failed', 'exit status 1']]);
  // a namespace load that failed: the diff falls back on our approximation
  assert.equal(plan.families[0].approximate, true);

  const applyFail = setup();
  applyFail.host.override.apply = () => ({ exitCode: 5, stdout: '', stderr: '' });
  await assert.rejects(applyFail.session.apply(await applyFail.session.plan()), (e: ApplyError) => e.kind === 'remote' && /exit status 5/.test(e.message) && e.pending !== undefined);

  const confirm = setup();
  const applied = await confirm.session.apply(await confirm.session.plan());
  // the confirm ran but did not say "kept": not kept
  confirm.host.override.confirm = () => ({ exitCode: 0, stdout: '', stderr: '' });
  assert.deepEqual(await confirm.session.confirm(applied), { kept: false, kind: 'remote', reason: 'exit status 0' });
  confirm.host.override.revert = () => ({ exitCode: 3, stdout: '', stderr: '' });
  assert.deepEqual(await confirm.session.revert(applied), { reverted: false, reason: 'exit status 3' });
});

test('a runner that throws (a bug, not a host answer) is not taken for an ssh failure', async () => {
  const { host, session } = setup();
  const applied = await session.apply(await session.plan());
  const broken = (): never => {
    throw new TypeError('runner broke');
  };
  for (const step of ['confirm', 'revert', 'status'] as const) host.override[step] = broken;
  await assert.rejects(session.confirm(applied), TypeError);
  await assert.rejects(session.revert(applied), TypeError);
  await assert.rejects(session.waitForRollback(applied), TypeError);
  const b = setup();
  b.host.override.apply = broken;
  await assert.rejects(b.session.apply(await b.session.plan()), TypeError);
});

test('lockout check with an IPv4 client seen through an IPv6 socket, and without the route', async () => {
  const { host, session } = setup(NO_NEW_SSH);
  host.preflight = host.preflight.filter((l) => !l.startsWith('route=')).map((l) => (l.startsWith('connection=') ? 'connection=::ffff:10.200.77.1 40000 ::ffff:10.200.77.2 22' : l));
  const plan = await session.plan();
  assert.equal(plan.lockout?.verdict, 'drop');
  assert.match(plan.lockout!.summary, /10\.200\.77\.1/);
  assert.doesNotMatch(plan.lockout!.summary, /::ffff:/);
  // allowed from that client: the same check says accept
  const ok = setup();
  ok.host.preflight = ok.host.preflight.map((l) => (l.startsWith('connection=') ? 'connection=::FFFF:10.200.77.1 40000 ::FFFF:10.200.77.2 22' : l));
  assert.equal((await ok.session.plan()).lockout?.verdict, 'accept');
});

test('the ssh program: the setting, or ssh on PATH when none is set', async () => {
  const prepared = prepareRules(GOOD, { fileName: 'rules.v4' });
  assert.ok(prepared.ok);
  const host = new FakeHost(new FakeClock());
  const session = new ApplySession({ target: { host: 'gw' }, ssh: {}, rules: prepared.rules, rollbackSeconds: 5 }, host);
  await session.plan();
  assert.ok(host.calls.every((c) => c.file === 'ssh'));
  assert.throws(() => new ApplySession({ target: { host: 'gw' }, ssh: {}, rules: prepared.rules, rollbackSeconds: 86401 }, host), (e: ApplyError) => e.kind === 'refused' && /86400/.test(e.message));
});

test('rules that test an ipset: the plan reads the host\'s sets, and the lockout check decides the allowlist by its members', async () => {
  const allowlist = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -m set --match-set admins src -j ACCEPT\nCOMMIT\n';
  for (const [members, verdict] of [['add admins 10.200.77.1\n', 'accept'], ['add admins 10.200.77.9\n', 'drop']] as const) {
    const { host, session } = setup(allowlist);
    host.ipsets = `create admins hash:ip family inet hashsize 1024 maxelem 65536\n${members}`;
    const plan = await session.plan();
    assert.equal(plan.lockout?.verdict, verdict);
    assert.deepEqual(host.steps(), ['preflight', 'save', 'test', 'namespace', 'ipsets']);
  }
  // rules that test no set: the sets are not read
  const { host, session } = setup(GOOD);
  await session.plan();
  assert.ok(!host.steps().includes('ipsets'));
});

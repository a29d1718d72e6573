import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { applyCommand, type Ask } from '../../../server/src/cli/applyCommand.ts';
import { FakeClock, FakeHost } from '../../support/fakeHost.ts';

/**
 * The CLI's side of apply: arguments, questions, exit codes and what is printed, with the
 * host replaced by an in-memory stand-in (test/apply runs the same against a real sshd).
 */

const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-apply-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const GOOD = join(dir, 'good.rules');
writeFileSync(GOOD, '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
const NOSSH = join(dir, 'nossh.rules');
writeFileSync(NOSSH, '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n');
const BROKEN = join(dir, 'broken.rules');
writeFileSync(BROKEN, '*filter\n-A INPUT -p tcp --dport\nCOMMIT\n');

async function run(args: string[], answers: (string | undefined)[] = [], setup?: (h: FakeHost) => void) {
  const clock = new FakeClock();
  const host = new FakeHost(clock);
  setup?.(host);
  let stdout = '';
  let stderr = '';
  const questions: string[] = [];
  const ask: Ask = async (q) => {
    questions.push(q);
    return answers.shift();
  };
  const code = await applyCommand([...args, '--backup-dir', join(dir, 'local')], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, { runner: host, ask, clock });
  return { code, stdout, stderr, host, questions };
}

test('usage errors and hostile targets exit 2 before any process runs', async () => {
  for (const args of [[], [GOOD], [GOOD, '--host'], [GOOD, '--host', 'gw', '--rollback-seconds', 'x'], [GOOD, '--host', 'gw', '--rollback-seconds', '0'], [GOOD, '--host', 'gw', '--bogus'], [GOOD, GOOD, '--host', 'gw']]) {
    const r = await run(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.host.calls.length, 0);
  }
  for (const host of ['-oProxyCommand=touch /tmp/pwned', 'a;touch x', '$(id)', 'gw\nid']) {
    const r = await run([GOOD, '--host', host, '--yes']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refused/);
    assert.equal(r.host.calls.length, 0);
  }
  const missing = await run([join(dir, 'nope.rules'), '--host', 'gw']);
  assert.equal(missing.code, 2);
  const badDir = await run([GOOD, '--host', 'gw', '--remote-dir', 'relative']);
  assert.equal(badDir.code, 2);
  assert.equal(badDir.host.calls.length, 0);
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: iptables-lint apply/);
});

test('error-level findings: exit 1, listed with lines, nothing sent', async () => {
  const r = await run([BROKEN, '--host', 'root@gw', '--yes']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /broken\.rules:2:\d+: error /);
  assert.equal(r.host.calls.length, 0);
});

test('--yes: applied and confirmed, exit 0, what is loaded is printed', async () => {
  const r = await run([GOOD, '--host', 'root@gw', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.questions, []);
  assert.deepEqual(r.host.steps(), ['preflight', 'save', 'test', 'namespace', 'prepare', 'arm', 'apply', 'confirm', 'save']);
  assert.match(r.stdout, /^\+:INPUT DROP$/m);
  assert.match(r.stdout, /Confirmed over a new ssh connection/);
  assert.match(r.stdout, /Loaded now on root@gw \(ipv4\):\n\*filter\n:INPUT DROP/);
});

test('asked: no to the apply exits 1 with nothing applied; yes then yes keeps', async () => {
  const no = await run([GOOD, '--host', 'root@gw'], ['n']);
  assert.equal(no.code, 1);
  assert.match(no.questions[0], /Apply these rules to root@gw\?/);
  assert.ok(!no.host.steps().includes('prepare'));
  const none = await run([GOOD, '--host', 'root@gw'], [undefined]);
  assert.equal(none.code, 1);
  const yes = await run([GOOD, '--host', 'root@gw'], ['y', 'yes']);
  assert.equal(yes.code, 0);
  assert.match(yes.questions[1], /Keep the new rules\?/);
  assert.ok(yes.host.steps().includes('confirm'));
});

test('asked: no to keeping reverts now (exit 1); no answer lets the rollback fire (exit 1)', async () => {
  const revert = await run([GOOD, '--host', 'root@gw'], ['y', 'n']);
  assert.equal(revert.code, 1);
  assert.match(revert.stdout, /Reverted/);
  assert.ok(revert.host.steps().includes('revert') && !revert.host.steps().includes('confirm'));
  const silent = await run([GOOD, '--host', 'root@gw'], ['y', undefined]);
  assert.equal(silent.code, 1);
  assert.match(silent.stdout, /No answer[\s\S]*Rolled back/);
  assert.ok(silent.host.steps().includes('status'));
  // a revert that cannot reach the host leaves it to the rollback
  const unreachable = await run([GOOD, '--host', 'root@gw'], ['y', 'n'], (h) => {
    h.override.revert = () => ({ exitCode: 255, stdout: '', stderr: 'Connection timed out\n' });
  });
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stdout, /Rolled back/);
});

test('lockout: the warning is printed and asked about; declined exits 1; --yes applies and the rollback saves the day', async () => {
  const declined = await run([NOSSH, '--host', 'root@gw'], ['n']);
  assert.equal(declined.code, 1);
  assert.match(declined.stdout, /Lockout check: WARNING: the new rules would block/);
  assert.match(declined.questions[0], /Apply anyway/);
  assert.ok(!declined.host.steps().includes('arm'));
  const forced = await run([NOSSH, '--host', 'root@gw', '--yes'], [], (h) => {
    h.override.confirm = () => ({ exitCode: 255, stdout: '', stderr: 'ssh: connect to host gw port 22: Connection timed out\n' });
  });
  assert.equal(forced.code, 1);
  assert.match(forced.stderr, /could not confirm over a new connection/);
  assert.match(forced.stdout, /Rolled back/);
});

test('--dry-run: diff and checks, exit 0, nothing staged; a failed check exits 1', async () => {
  const r = await run([GOOD, '--host', 'root@gw', '--dry-run']);
  assert.equal(r.code, 0);
  assert.deepEqual(r.host.steps(), ['preflight', 'save', 'test', 'namespace']);
  assert.match(r.stdout, /iptables-restore --test: passed/);
  assert.match(r.stdout, /Dry run: nothing on root@gw was changed/);
  const failed = await run([GOOD, '--host', 'root@gw', '--dry-run'], [], (h) => {
    h.override.test = () => ({ exitCode: 1, stdout: '', stderr: 'iptables-restore: line 3 failed\n' });
  });
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /--test: failed \(iptables-restore: line 3 failed\)/);
});

test('ssh errors exit 2; unchanged rules exit 0 without applying; -v lists every command', async () => {
  const e = await run([GOOD, '--host', 'root@gw', '--yes'], [], (h) => {
    h.override.preflight = () => ({ exitCode: 255, stdout: '', stderr: 'Host key verification failed.\n' });
  });
  assert.equal(e.code, 2);
  assert.match(e.stderr, /host key of root@gw is not known/);
  const same = await run([GOOD, '--host', 'root@gw', '--yes'], [], (h) => {
    h.loaded.ipv4 = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  });
  assert.equal(same.code, 0);
  assert.match(same.stdout, /nothing to apply/);
  assert.ok(!same.host.steps().includes('prepare'));
  const v = await run([GOOD, '--host', 'root@gw', '--yes', '--verbose']);
  assert.equal((v.stderr.match(/^\+ /gm) ?? []).length, v.host.calls.length);
  assert.match(v.stderr, /^\+ preflight: ssh .* -- gw 'sh -c /m);
  const failedApply = await run([GOOD, '--host', 'root@gw', '--yes'], [], (h) => {
    h.override.apply = () => ({ exitCode: 98, stdout: '', stderr: 'iptables-restore failed: the backup is put back\n' });
  });
  assert.equal(failedApply.code, 1);
  const lost = await run([GOOD, '--host', 'root@gw', '--yes'], [], (h) => {
    h.override.apply = () => ({ exitCode: 255, stdout: '', stderr: 'Connection closed by gw port 22\n' });
  });
  assert.equal(lost.code, 1);
  assert.match(lost.stderr, /whether the rules were applied is unknown/);
  assert.match(lost.stdout, /Rolled back/);
});

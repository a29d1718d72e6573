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

test('option forms: inline values, short flags, ssh options, config, remote folder and delay reach ssh and the host', async () => {
  const r = await run([GOOD, '--host=admin@gw:2200', '-i', '/keys/gw', '-y', '-v', '--ssh-option=ProxyJump=bastion', '--ssh-config', '/etc/ssh/alt_config', '--rollback-seconds=7', '--remote-dir', '/srv/fw-backups']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.questions, []);
  for (const c of r.host.calls) {
    const dash = c.args.indexOf('--');
    const opts = c.args.slice(0, dash);
    assert.deepEqual(c.args.slice(dash, dash + 2), ['--', 'gw']);
    for (const [flag, value] of [['-i', '/keys/gw'], ['-p', '2200'], ['-l', 'admin'], ['-o', 'ProxyJump=bastion'], ['-F', '/etc/ssh/alt_config']]) {
      assert.ok(opts.some((a, i) => a === flag && opts[i + 1] === value), `${c.step}: ${flag} ${value}`);
    }
  }
  const arm = r.host.calls.find((c) => c.step === 'arm')!;
  assert.match(arm.remote, /sleep 7;/);
  assert.match(arm.remote, /\/srv\/fw-backups\/\d{8}T/);
  // -v: the steps as well as the commands
  assert.match(r.stderr, /^… Arming the rollback \(7 s\)/m);
  for (const args of [[GOOD, '--host', 'gw', '--ssh-option'], [GOOD, '--host', 'gw', '--ssh-config'], ['--host', 'gw']]) {
    const bad = await run(args);
    assert.equal(bad.code, 2, args.join(' '));
    assert.equal(bad.host.calls.length, 0);
  }
});

test('a script the compiler cannot translate: exit 1 at its line, nothing sent', async () => {
  const loop = join(dir, 'loop.sh');
  writeFileSync(loop, '#!/bin/sh\niptables -F\nfor p in $(cat /etc/ports); do iptables -A INPUT -p tcp --dport $p -j ACCEPT; done\n');
  const r = await run([loop, '--host', 'root@gw', '--yes']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /refused: line 3: /);
  assert.match(r.stderr, /Nothing was sent to the host/);
  assert.equal(r.host.calls.length, 0);
});

test('a compiled script: said so, its warnings listed with their place, and applied', async () => {
  const script = join(dir, 'fw.sh');
  writeFileSync(script, '#!/bin/sh\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.200.77.9:8080\n');
  const r = await run([script, '--host', 'root@gw', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /the script compiled to iptables-restore rules; the script is not run/);
  assert.match(r.stdout, new RegExp(`^${script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: warning [a-z-]+: `, 'm'));
  const staged = r.host.calls.find((c) => c.step === 'prepare')!.input;
  assert.match(staged, /^\*nat$/m);
  assert.doesNotMatch(staged, /#!\/bin\/sh|^iptables /m);
});

test('a script that reads its configuration with `.`: compiled with the values found beside it, and applied', async () => {
  const sub = mkdtempSync(join(dir, 'gateway-'));
  const script = join(sub, 'gateway.sh');
  writeFileSync(script, '#!/bin/sh\n. /etc/gateway.conf\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -t nat -A POSTROUTING -s $LAN_NET -o $WAN -j MASQUERADE\n');
  // without it: the expansion stops the compile, nothing is sent
  const refused = await run([script, '--host', 'root@gw', '--yes']);
  assert.equal(refused.code, 1);
  assert.equal(refused.host.calls.length, 0);
  writeFileSync(join(sub, 'gateway.conf'), 'WAN=eth0\nLAN_NET=10.200.77.0/24\n');
  const r = await run([script, '--host', 'root@gw', '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.host.calls.find((c) => c.step === 'prepare')!.input, /^-A POSTROUTING -s 10\.200\.77\.0\/24 -o eth0 -j MASQUERADE$/m);
});

test('the host: refused when it cannot take the rules (exit 1), a broken preflight is an error (exit 2)', async () => {
  const noRoot = await run([GOOD, '--host', 'admin@gw', '--yes'], [], (h) => {
    h.preflight = h.preflight.map((l) => (l === 'sudo=root' ? 'sudo=no' : l.startsWith('uid=') ? 'uid=1000' : l));
  });
  assert.equal(noRoot.code, 1);
  assert.match(noRoot.stderr, /^iptables-lint apply: refused: admin@gw cannot take the rules: .*root/m);
  assert.deepEqual(noRoot.host.steps(), ['preflight']);
  const broken = await run([GOOD, '--host', 'root@gw', '--yes'], [], (h) => {
    h.override.preflight = () => ({ exitCode: 2, stdout: '', stderr: 'sh: 1: syntax error\n' });
  });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /syntax error/);
  assert.doesNotMatch(broken.stderr, /refused/);
});

test('what the report says: sudo, IPv6 forwarding, no $SSH_CONNECTION, a check skipped and the approximation', async () => {
  const r = await run([GOOD, '--host', 'admin@gw', '--dry-run'], [], (h) => {
    h.preflight = h.preflight.filter((l) => !l.startsWith('connection=') && !l.startsWith('route=')).map((l) => (l === 'sudo=root' ? 'sudo=yes' : l.startsWith('uid=') ? 'uid=1000' : l));
    h.override.namespace = () => ({ exitCode: 99, stdout: '', stderr: 'unshare --net is not allowed on this host\n' });
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Host: iptables v1\.8\.9 \(nf_tables\), sudo -n, ip_forward=0, ipv6 forwarding=0$/m);
  assert.match(r.stdout, /load into a throwaway namespace: skipped \(.*unshare --net/);
  assert.match(r.stdout, /normalised by iptables-lint's approximation of iptables-save/);
  assert.match(r.stdout, /^Warning: .*lockout check could not run\.$/m);
  assert.doesNotMatch(r.stdout, /Lockout check:/);
  assert.ok(r.host.calls.slice(1).every((c) => /^sudo -n /.test(c.remote)));
});

test('lockout warning answered yes: applied, then kept when asked', async () => {
  const r = await run([NOSSH, '--host', 'root@gw'], ['yes', 'y']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.questions[0], /Apply anyway/);
  assert.match(r.questions[1], /Keep the new rules\?/);
  assert.ok(r.host.steps().includes('confirm'));
});

test('after a failed confirm the exit status follows what the host reports', async () => {
  const failConfirm = (h: FakeHost) => {
    h.override.confirm = () => ({ exitCode: 1, stdout: '', stderr: 'cd: no such directory\n' });
  };
  const cases: [string, (h: FakeHost) => void, number, RegExp, 'stdout' | 'stderr'][] = [
    ['still armed', (h) => (h.override.status = () => ({ exitCode: 0, stdout: 'armed\n', stderr: '' })), 1, /has not fired yet/, 'stderr'],
    ['restore failed', (h) => (h.override.status = () => ({ exitCode: 0, stdout: 'rolled-back=restore-failed\n', stderr: '' })), 1, /iptables-restore failed: restore the backup by hand/, 'stderr'],
    ['unreachable', (h) => (h.override.status = () => ({ exitCode: 255, stdout: '', stderr: 'ssh: connect to host gw port 22: No route to host\n' })), 1, /cannot be reached after the rollback time/, 'stderr'],
    // the confirm got through after all (its answer was lost): neither armed nor rolled back
    ['kept', (h) => (h.override.status = () => ({ exitCode: 0, stdout: '', stderr: '' })), 0, /The new rules were kept on root@gw/, 'stdout'],
  ];
  for (const [name, status, code, said, where] of cases) {
    const r = await run([GOOD, '--host', 'root@gw', '--yes'], [], (h) => {
      failConfirm(h);
      status(h);
    });
    assert.equal(r.code, code, name);
    assert.match(r.stderr, /could not confirm over a new connection/, name);
    assert.match(r[where], said, name);
  }
});

test('kept, but the rules loaded now cannot be read: still exit 0, the failure said', async () => {
  const r = await run([GOOD, '--host', 'root@gw', '--yes'], [], (h) => {
    h.override.save = (_c, nth) => (nth > 1 ? { exitCode: 1, stdout: '', stderr: 'iptables-nft-save: permission denied\n' } : undefined);
  });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Confirmed over a new ssh connection/);
  assert.match(r.stderr, /could not read the loaded rules: .*permission denied/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sshArgs } from './sshArgs.ts';
import { classifySshFailure } from './sshFailure.ts';

test('ssh arguments: our options first, user as -l, -- before the destination, command last', () => {
  const args = sshArgs({ user: 'root', host: 'gw', port: 2222 }, { identity: '/k', options: ['-o', 'ControlMaster=auto', '-F', 'none'] }, 'sh -c true', 4);
  const dd = args.indexOf('--');
  assert.deepEqual(args.slice(dd), ['--', 'gw', 'sh -c true']);
  // ssh keeps the first value of an option: ours must precede the user's
  assert.ok(args.indexOf('ControlMaster=no') < args.indexOf('ControlMaster=auto'));
  assert.ok(args.indexOf('BatchMode=yes') >= 0 && args.indexOf('ControlPath=none') >= 0);
  assert.ok(args.includes('ConnectTimeout=4'));
  assert.deepEqual(args.slice(args.indexOf('-l'), args.indexOf('-l') + 2), ['-l', 'root']);
  assert.deepEqual(args.slice(args.indexOf('-p'), args.indexOf('-p') + 2), ['-p', '2222']);
  assert.deepEqual(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2), ['-i', '/k']);
  assert.ok(!args.some((a) => a.includes('@')));
  assert.ok(!sshArgs({ host: 'gw' }, {}, 'x', 0.2).includes('-l'));
  assert.ok(sshArgs({ host: 'gw' }, {}, 'x', 0.2).includes('ConnectTimeout=1'));
});

test('ssh failures are told apart from the remote command status', () => {
  const r = (exitCode: number, stderr: string, extra = {}) => ({ exitCode, stdout: '', stderr, ...extra });
  const cases: [ReturnType<typeof r>, string | undefined][] = [
    [r(255, 'No ED25519 host key is known for 10.200.77.2 and you have requested strict checking.\nHost key verification failed.\n'), 'host-key-unknown'],
    [r(255, '@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.\n'), 'host-key-changed'],
    [r(255, 'root@10.200.77.2: Permission denied (publickey).\n'), 'auth-refused'],
    [r(255, 'ssh: connect to host 10.200.77.2 port 22: Connection timed out\n'), 'timeout'],
    [r(255, 'Connection timed out during banner exchange\n'), 'timeout'],
    [r(255, 'ssh: connect to host 10.200.77.2 port 2222: Connection refused\n'), 'connection-refused'],
    [r(255, 'ssh: Could not resolve hostname nowhere: Name or service not known\n'), 'unresolved'],
    [r(255, 'ssh: connect to host 10.200.77.2 port 22: No route to host\n'), 'unreachable'],
    [r(255, 'Connection closed by 10.200.77.2 port 22\n'), 'connection-lost'],
    [r(255, 'something else\n'), 'ssh-failed'],
    [r(-1, '', { timedOut: true }), 'timeout'],
    [r(-1, '', { cancelled: true }), 'cancelled'],
    [r(-1, '', { spawnError: 'ENOENT: spawn ssh ENOENT' }), 'ssh-missing'],
    // the remote command's own failures are not ssh's
    [r(1, 'Permission denied'), undefined],
    [r(0, ''), undefined],
  ];
  for (const [result, kind] of cases) assert.equal(classifySshFailure(result, 'gw')?.kind, kind, result.stderr);
  assert.match(classifySshFailure(r(255, 'Warning: Permanently added x\nroot@gw: Permission denied (publickey).'), 'gw')!.message, /publickey/);
});

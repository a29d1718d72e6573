import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeTarget, parseTarget, targetProblem } from './target.ts';

test('targets: user, host, port and IPv6 forms', () => {
  const ok = (s: string) => {
    const r = parseTarget(s);
    assert.ok(r.ok, `${s}: ${!r.ok && r.problem}`);
    return r.target;
  };
  assert.deepEqual(ok('router'), { host: 'router' });
  assert.deepEqual(ok('root@10.200.77.2'), { user: 'root', host: '10.200.77.2' });
  assert.deepEqual(ok('admin@gw.example.net:2222'), { user: 'admin', host: 'gw.example.net', port: 2222 });
  assert.deepEqual(ok('fe80::1'), { host: 'fe80::1' });
  assert.deepEqual(ok('root@[2001:db8::1]:22'), { user: 'root', host: '2001:db8::1', port: 22 });
  assert.equal(describeTarget(ok('root@[2001:db8::1]:22')), 'root@[2001:db8::1]:22');
  assert.equal(describeTarget(ok('a@b:7')), 'a@b:7');
});

test('targets ssh or a shell could read as more than a name are refused', () => {
  const hostile = [
    '-oProxyCommand=touch /tmp/pwned',
    '-oProxyCommand=touch${IFS}/tmp/pwned',
    'a;touch x',
    '$(id)',
    '`id`',
    'router\ntouch x',
    'root@-oProxyCommand=x',
    '-lroot@host',
    "o'brien@host",
    'host name',
    'a|b',
    'a&b',
    'host:22;id',
    'host:abc',
    'host:0',
    'host:70000',
    '',
    '@host',
    'user@',
  ];
  for (const h of hostile) {
    const r = parseTarget(h);
    assert.equal(r.ok, false, JSON.stringify(h));
  }
});

test('targets from separate fields (iptables.hosts) are checked field by field', () => {
  assert.equal(targetProblem({ host: 'gw', user: 'root', port: 22 }), undefined);
  assert.match(targetProblem({ host: '-oProxyCommand=x' }) ?? '', /option/);
  assert.match(targetProblem({ host: 'gw', user: '-F/tmp/x' }) ?? '', /option/);
  assert.match(targetProblem({ host: 'gw', user: 'a b' }) ?? '', /blank/);
  assert.match(targetProblem({ host: 'gw$(id)' }) ?? '', /'\$'/);
  assert.match(targetProblem({ host: 'a@b' }) ?? '', /@/);
  assert.match(targetProblem({ host: 'gw', port: 0 }) ?? '', /port/);
  assert.ok(targetProblem({ host: 'gw\n' }));
});

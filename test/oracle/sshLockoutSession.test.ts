import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { lintText } from '../../server/src/core/facade.ts';
import { RouterHost } from '../apply/routerHost.ts';
import { requirement } from '../support/paths.ts';

/**
 * ssh-lockout-risk's two kinds of finding against a real sshd: a router namespace this test
 * creates (key-only root login over a veth pair on 10.200.0.0/16, see RouterHost), a script
 * piped to `sh -s` over ssh as a user runs one. Where a later command lets the session through
 * again, a run that goes through keeps its session, even with seconds in between; one that
 * stops in between (a failing command under set -e) leaves the host closed to SSH.
 */
const unavailable = RouterHost.available();
const skip = requirement(!unavailable, unavailable ?? '');

let router: RouterHost;
before(() => {
  if (skip) return;
  router = new RouterHost();
  router.up();
});
after(() => router?.down());

const reopened = (between: string) => `echo before\niptables -F INPUT\niptables -P INPUT DROP\n${between}\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\necho after\n`;

function lockoutFindings(script: string): { at: string; again?: string }[] {
  return lintText(script, { dialect: 'script' }).diagnostics.filter((d) => d.code === 'ssh-lockout-risk').map((d) => ({ at: script.slice(d.span.start, d.span.end), again: d.related?.map((r) => script.slice(r.span.start, r.span.end)).join() }));
}

/** Opens the router's INPUT again from inside its namespace (not over ssh). */
function reopen(): void {
  router.exec(['iptables', '-P', 'INPUT', 'ACCEPT']);
  router.exec(['iptables', '-F', 'INPUT']);
}

test('the session is cut between two commands: a run that goes through keeps it', { skip, timeout: 120_000 }, () => {
  const script = reopened('sleep 3');
  assert.deepEqual(lockoutFindings(script), [{ at: 'iptables -P INPUT DROP', again: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT' }]);
  reopen();
  const run = router.ssh('sh -s', script);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'before\nafter\n');
  assert.equal(router.ssh('echo in').stdout, 'in\n', 'a new session gets in');
});

test('a run that stops in between leaves the host closed to SSH', { skip, timeout: 120_000 }, () => {
  const script = `set -e\n${reopened('cat /etc/firewall-lab-missing.conf')}`;
  assert.deepEqual(lockoutFindings(script), [{ at: 'iptables -P INPUT DROP', again: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT' }]);
  reopen();
  const run = router.ssh('sh -s', script);
  assert.notEqual(run.status, 0);
  assert.doesNotMatch(run.stdout, /after/);
  assert.notEqual(router.ssh('echo in').status, 0, 'no new session gets in');
  reopen();
  assert.equal(router.ssh('echo in').stdout, 'in\n');
});

test('nothing lets the session through again: the finding says so, with no later command', { skip }, () => {
  const script = 'iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 443 -j ACCEPT\n';
  assert.deepEqual(lockoutFindings(script), [{ at: 'iptables -P INPUT DROP', again: undefined }]);
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { FirewallDocument } from '../../server/src/core/facade.ts';
import { NamespaceIptables } from './realIptables.ts';

/**
 * hostname-resolved-once against the real iptables: the namespace gets hosts and resolv.conf
 * files of its own (`ip netns exec` puts /etc/netns/NAME/* in place of /etc's), so names
 * resolve from this test's hosts file, and any other lookup asks 127.0.0.1 inside the
 * namespace, where nothing answers: no query leaves it.
 */
const { ns, skip } = NamespaceIptables.forTests('host names in rules, in a namespace');
const etc = `/etc/netns/${ns.name}`;

// forTests' hooks run first: the namespace is there before its /etc/netns files, and gone before they are removed
before(() => {
  if (skip) return;
  mkdirSync(etc, { recursive: true });
  writeFileSync(`${etc}/hosts`, '127.0.0.1 localhost\n10.200.91.7 admin.test\n10.200.91.8 admin.test\n');
  writeFileSync(`${etc}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  spawnSync('ip', ['-n', ns.name, 'link', 'set', 'lo', 'up']);
});

after(() => {
  if (skip) return;
  rmSync(etc, { recursive: true, force: true });
});

function run(args: string[], input?: string): { status: number | null; stdout: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns.name, ...args], { input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

const codes = (text: string) => new FirewallDocument(text, { dialect: 'save' }).diagnostics().filter((d) => d.code === 'hostname-resolved-once').map((d) => text.slice(d.span.start, d.span.end));

test('a name resolved when the rule is added: one rule per address, the name gone from the tables', { skip }, () => {
  const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -s admin.test -j ACCEPT\n-A INPUT -s localhost -j ACCEPT\nCOMMIT\n';
  assert.deepEqual(codes(text), ['admin.test']);
  assert.equal(run(['iptables-restore'], text).status, 0);
  const listed = run(['iptables', '-S', 'INPUT']).stdout;
  assert.match(listed, /-A INPUT -s 10\.200\.91\.7\/32 -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -s 10\.200\.91\.8\/32 -p tcp -m tcp --dport 22 -j ACCEPT\n/);
  assert.doesNotMatch(listed, /admin\.test/);
});

test('a name that does not resolve: iptables-restore loads none of the file, iptables refuses the command', { skip }, () => {
  run(['iptables', '-F']);
  const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -s vpn.example.invalid -j DROP\nCOMMIT\n';
  assert.deepEqual(codes(text), ['vpn.example.invalid']);
  assert.notEqual(run(['iptables-restore'], text).status, 0);
  assert.equal(run(['iptables', '-S', 'INPUT']).stdout, '-P INPUT ACCEPT\n', 'the line before it is not loaded either');
  assert.notEqual(run(['iptables', '-A', 'INPUT', '-d', 'vpn.example.invalid', '-j', 'DROP']).status, 0);
});

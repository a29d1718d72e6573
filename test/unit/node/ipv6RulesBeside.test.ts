import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { companionPaths, ipv4Companion, ipv4NatBeside, ipv6Companion, ipv6RulesBeside } from '../../../server/src/node/ipv6RulesBeside.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { main } from '../../../server/src/cli/main.ts';

test('the IPv6 half of an IPv4 rules file, by the names the tools that keep both give them', () => {
  assert.deepEqual(ipv6Companion('rules.v4'), { name: 'rules.v6', paired: true });
  assert.deepEqual(ipv6Companion('firewall.V4'), { name: 'firewall.V6', paired: true });
  assert.deepEqual(ipv6Companion('iptables.rules'), { name: 'ip6tables.rules', paired: true });
  assert.deepEqual(ipv6Companion('iptables'), { name: 'ip6tables', paired: true });
  assert.deepEqual(ipv6Companion('iptables-save_jul_2016'), { name: 'ip6tables-save_jul_2016', paired: false });
  for (const name of ['rules.v6', 'ip6tables.rules', 'firewall.sh', 'kube-proxy.rules', 'before.rules', 'rules.v44']) assert.equal(ipv6Companion(name), undefined, name);
});

test('what the folder holds: no IPv6 half, one that leaves INPUT open, one that closes it, one written as a script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-beside-'));
  const v4 = join(dir, 'rules.v4');
  assert.deepEqual(ipv6RulesBeside(v4), { expected: 'rules.v6' });
  writeFileSync(join(dir, 'rules.v6'), '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
  assert.deepEqual(ipv6RulesBeside(v4), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: false } });
  writeFileSync(join(dir, 'rules.v6'), '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -j REJECT\nCOMMIT\n');
  assert.deepEqual(ipv6RulesBeside(v4), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: true } });
  writeFileSync(join(dir, 'rules.v6'), '*mangle\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n');
  assert.deepEqual(ipv6RulesBeside(v4), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: false } }, 'no filter table: INPUT accepts');
  writeFileSync(join(dir, 'rules.v6'), '#!/bin/sh\nip6tables -P INPUT ACCEPT\n');
  assert.deepEqual(ipv6RulesBeside(v4), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: true } }, 'a script is not judged');
  assert.deepEqual(ipv6RulesBeside(join(dir, 'router.rules')), {});
});

test('the IPv4 half beside an IPv6 rules file: the interface its source NAT sends out of, the LAN behind another', () => {
  assert.equal(ipv4Companion('rules.v6'), 'rules.v4');
  assert.equal(ipv4Companion('ip6tables.rules'), 'iptables.rules');
  assert.equal(ipv4Companion('ip6tables'), 'iptables');
  assert.equal(ipv4Companion('ip6tables-save_jul_2016'), 'iptables-save_jul_2016');
  for (const name of ['rules.v4', 'iptables.rules', 'firewall.sh']) assert.equal(ipv4Companion(name), undefined, name);
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-beside-'));
  const v6 = join(dir, 'rules.v6');
  assert.deepEqual(ipv4NatBeside(v6), {}, 'no rules.v4');
  writeFileSync(join(dir, 'rules.v4'), '*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o eth0 -s 192.168.1.0/24 -j ACCEPT\nCOMMIT\n');
  assert.deepEqual(ipv4NatBeside(v6), {}, 'no source NAT');
  writeFileSync(join(dir, 'rules.v4'), '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i eth1 -o eth0 -s 192.168.1.0/24 -j ACCEPT\nCOMMIT\n');
  assert.deepEqual(ipv4NatBeside(v6), { workspaceIpv4Nat: { file: 'rules.v4', wan: 'eth0', lanIface: 'eth1' } });
});

test('iptables-lint on a rules.v6 whose rules.v4 masquerades and whose sysctl.conf forwards IPv6: the open FORWARD is reported', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptables-lint-router-'));
  mkdirSync(join(root, 'etc', 'iptables'), { recursive: true });
  writeFileSync(join(root, 'etc', 'iptables', 'rules.v4'), '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\nCOMMIT\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -i eth1 -o eth0 -j ACCEPT\nCOMMIT\n');
  const v6 = join(root, 'etc', 'iptables', 'rules.v6');
  writeFileSync(v6, '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A FORWARD -i eth1 -o eth0 -j ACCEPT\nCOMMIT\n');
  const lint = () => {
    let out = '';
    main(['--format', 'json', v6], { stdout: (t: string) => void (out += t), stderr: () => undefined });
    return (JSON.parse(out).files[0].diagnostics as { code: string; line: number }[]).filter((d) => d.code === 'lan-reachable-from-wan').map((d) => d.line);
  };
  assert.deepEqual(lint(), [], 'IPv6 forwarding off: the kernel starts with it off');
  writeFileSync(join(root, 'etc', 'sysctl.conf'), 'net.ipv4.ip_forward=1\nnet.ipv6.conf.all.forwarding=1\n');
  assert.deepEqual(lint(), [3], 'on the FORWARD policy');
});

test('a half open in the editor is read as the editor holds it, on disk or not; too big or a script, alike either way', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-beside-'));
  const v4 = join(dir, 'rules.v4');
  const v6 = join(dir, 'rules.v6');
  const held = new Map<string, FirewallDocument>();
  const open = (path: string) => held.get(path);
  writeFileSync(v6, '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n');
  writeFileSync(v4, '*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n');
  assert.deepEqual(ipv6RulesBeside(v4, open), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: true } }, 'nothing open: the disk');
  held.set(v6, new FirewallDocument('*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', { fileName: v6 }));
  assert.deepEqual(ipv6RulesBeside(v4, open), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: false } });
  held.set(v6, new FirewallDocument('#!/bin/sh\nip6tables -P INPUT ACCEPT\n', { fileName: v6 }));
  assert.deepEqual(ipv6RulesBeside(v4, open), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: true } }, 'a script is not judged');
  held.set(v6, new FirewallDocument(`*filter\n:INPUT ACCEPT [0:0]\n${'# padding\n'.repeat(110_000)}COMMIT\n`, { fileName: v6 }));
  assert.deepEqual(ipv6RulesBeside(v4, open), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: true } }, 'over 1 MB: not read');
  // read in its family whatever its name says (a save file named otherwise is read as IPv4 by the editor)
  held.set(v6, new FirewallDocument('*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n', { fileName: v6, family: 'ipv4' }));
  assert.deepEqual(ipv6RulesBeside(v4, open), { expected: 'rules.v6', found: { name: 'rules.v6', inputClosed: true } });

  assert.deepEqual(ipv4NatBeside(v6, open), {}, 'the disk: no source NAT');
  held.set(v4, new FirewallDocument('*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE\nCOMMIT\n', { fileName: v4 }));
  assert.deepEqual(ipv4NatBeside(v6, open), { workspaceIpv4Nat: { file: 'rules.v4', wan: 'eth0' } });
  // a rules.v4 the editor has that is not on disk yet
  const other = join(dir, 'sub', 'rules.v6');
  held.set(join(dir, 'sub', 'rules.v4'), new FirewallDocument('*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o ppp0 -j MASQUERADE\nCOMMIT\n', { fileName: join(dir, 'sub', 'rules.v4') }));
  assert.deepEqual(ipv4NatBeside(other, open), { workspaceIpv4Nat: { file: 'rules.v4', wan: 'ppp0' } });
  assert.deepEqual(companionPaths(v4), [v6]);
  assert.deepEqual(companionPaths(v6), [v4]);
  assert.deepEqual(companionPaths(join(dir, 'router.rules')), []);
});

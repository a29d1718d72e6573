import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ipv6Companion, ipv6RulesBeside } from '../../../server/src/node/ipv6RulesBeside.ts';

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

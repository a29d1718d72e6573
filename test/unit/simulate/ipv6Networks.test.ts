import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../../server/src/cli/main.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { definiteVerdict, tracePacket } from '../../../server/src/core/simulate/evaluate.ts';
import { parsePacketSpec } from '../../../server/src/core/simulate/packet.ts';
import { addressCond, inAddressRange, inNetwork } from '../../../server/src/core/simulate/conditions.ts';
import type { Condition } from '../../../server/src/core/model/types.ts';

/**
 * IPv6 address tests decided the way the kernel decides them (a prefix, a mask written as an
 * address, a list, a range), as IPv4's are; before, only the same text was known to match,
 * and every IPv6 network was "maybe". The kernel test is in test/oracle/shadowedRules.test.ts.
 */
const cond = (value: string, negated = false) => ({ value, negated, word: { dynamic: false } }) as unknown as Condition;

test('an IPv6 address is in a network by its prefix or its mask, whatever the spelling', () => {
  assert.equal(inNetwork('2001:db8:1:ffff::9', '2001:db8:1::/48'), 'yes');
  assert.equal(inNetwork('2001:DB8:0001::9', '2001:db8:1::/48'), 'yes');
  assert.equal(inNetwork('2001:db8:2::9', '2001:db8:1::/48'), 'no');
  assert.equal(inNetwork('2001:db8:1:ff::1', '2001:db8:1::/ffff:ffff:ffff:ff00::'), 'yes');
  assert.equal(inNetwork('2001:db8:1:100::1', '2001:db8:1::/ffff:ffff:ffff:ff00::'), 'no');
  assert.equal(inNetwork('2001:db8::5', '2001:db8:0:0:0:0:0:5'), 'yes');
  // a scattered mask: the kernel compares the bits it has
  assert.equal(inNetwork('2001:ffff:1::7', '2001:0:1::/ffff:0:ffff::'), 'yes');
  // a host name, or the other family, stays unknown
  assert.equal(inNetwork('2001:db8::5', 'www.example.org'), 'maybe');
  assert.equal(inNetwork('2001:db8::5', '10.0.0.0/8'), 'maybe');
  assert.equal(inNetwork('10.1.2.3', '2001:db8::/32'), 'maybe');
});

test('address tests: lists, negation and ranges of IPv6 addresses', () => {
  assert.equal(addressCond(cond('2001:db8:1::/48,2001:db8:2::/48'), '2001:db8:2::7'), 'yes');
  assert.equal(addressCond(cond('2001:db8:1::/48,2001:db8:2::/48'), '2001:db8:3::7'), 'no');
  assert.equal(addressCond(cond('2001:db8::/32', true), '2001:db8:3::7'), 'no');
  assert.equal(addressCond(cond('2001:db8::/32', true), 'fd00::1'), 'yes');
  assert.equal(addressCond(cond('2001:db8::/32,gateway.example'), 'fd00::1'), 'maybe');
  assert.equal(inAddressRange('2001:db8::80', '2001:db8::1-2001:db8::ff'), 'yes');
  assert.equal(inAddressRange('2001:db8::100', '2001:db8::1-2001:db8::ff'), 'no');
  assert.equal(inAddressRange('2001:db8::1', '2001:db8::1'), 'yes');
});

const rules = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:admins - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -s 2001:db8:bad::/48 -j DROP
-A INPUT -p tcp --dport 22 -j admins
-A INPUT -p tcp --dport 443 -m iprange --src-range 2001:db8:1::10-2001:db8:1::1f -j ACCEPT
-A INPUT -p tcp --dport 80 -m set --match-set web6 src -j ACCEPT
-A admins -s 2001:db8:1::/64 -j ACCEPT
-A admins -j RETURN
COMMIT
`;

test('a trace of an IPv6 packet decides by the networks its rules name', () => {
  const doc = new FirewallDocument(rules, { dialect: 'save', family: 'ipv6' });
  const verdict = (spec: string) => definiteVerdict(tracePacket(doc.ruleSet, parsePacketSpec(`family=ipv6 in=eth0 proto=tcp dst=2001:db8::1 local=2001:db8::1 ${spec}`).packet!));
  assert.equal(verdict('src=2001:db8:1::5 dport=22'), 'ACCEPT');
  assert.equal(verdict('src=2001:db8:1:1::5 dport=22'), 'DROP');
  assert.equal(verdict('src=2001:db8:bad:1::5 dport=22'), 'DROP');
  assert.equal(verdict('src=2001:db8:1::1a dport=443'), 'ACCEPT');
  assert.equal(verdict('src=2001:db8:1::20 dport=443'), 'DROP');
  // the set's members are not known here: both ways stay open
  assert.equal(verdict('src=2001:db8:1::1a dport=80'), undefined);
});

test('iptables-lint trace on a rules.v6: a packet without addresses is an IPv6 one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trace-v6-'));
  const file = join(dir, 'rules.v6');
  writeFileSync(file, rules);
  let stdout = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: () => undefined };
  assert.equal(main(['trace', file, '--format', 'json', '--packet', 'in=eth0 proto=tcp sport=40000 dport=443'], io), 0);
  const json = JSON.parse(stdout);
  // not for this host (no local address given): ip6tables' FORWARD decides; an IPv4 packet would meet no table of the file
  assert.match(json.packet, /family=ipv6/);
  assert.equal(json.verdict, 'DROP');
  assert.deepEqual(json.path.map((s: { table: string; chain: string; policy?: string }) => [s.table, s.chain, s.policy]), [['filter', 'FORWARD', 'DROP']]);
  rmSync(dir, { recursive: true });
});

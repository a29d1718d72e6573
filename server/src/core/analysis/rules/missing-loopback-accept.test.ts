import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import type { Dialect } from '../../model/types.ts';
import { missingLoopbackAccept } from './missing-loopback-accept.ts';

const script = { dialect: 'script' as const };
const v6 = { family: 'ipv6' as const };
const sshOnly = '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT';

ruleTable(missingLoopbackAccept, {
  valid: [
    { code: table('filter', `:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n${sshOnly}`) },
    { code: table('filter', `:INPUT DROP [0:0]\n:base - [0:0]\n-A INPUT -j base\n-A base -i lo -j ACCEPT\n${sshOnly}`), name: 'in a chain INPUT jumps to' },
    { code: table('filter', `:INPUT DROP [0:0]\n-A INPUT -s 127.0.0.0/8 -j ACCEPT\n${sshOnly}`), name: 'by address: some of it accepted' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -j ACCEPT'), name: 'everything accepted' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -i eth0 -j DROP') },
    { code: table('filter', ':INPUT DROP [0:0]\n:OUTPUT DROP [0:0]'), name: 'a host closed both ways on purpose' },
    { ...v6, code: table('filter', ':INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j DROP\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -j REJECT'), name: 'IPv6 closed on purpose: nothing passes a link either way' },
    { ...script, code: 'iptables -A INPUT -i lo -j ACCEPT\niptables -A OUTPUT -o lo -j ACCEPT\niptables -P INPUT DROP\niptables -P OUTPUT DROP\niptables -A OUTPUT -p udp --dport 53 -j ACCEPT\n' },
  ],
  invalid: [
    { code: table('filter', `:INPUT «DROP» [0:0]\n${sshOnly}`), name: 'a DROP policy with SSH and replies accepted' },
    { code: table('filter', `:INPUT ACCEPT [0:0]\n${sshOnly}\n«-A INPUT -j REJECT --reject-with icmp-host-prohibited»`), name: 'a final REJECT rule (a RHEL default)' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT «DROP» [0:0]\n-A OUTPUT -p udp --dport 53 -j ACCEPT'), name: 'OUTPUT' },
    { ...v6, code: table('filter', `:INPUT «DROP» [0:0]\n${sshOnly}`), name: 'ip6tables: ::1' },
    { ...script, code: 'iptables -F\niptables -P INPUT «DROP»\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n' },
  ],
});

const fixed = (text: string, dialect: Dialect = 'save') => fixFirst(missingLoopbackAccept, text, { dialect });

test('missing-loopback-accept fix: -i lo accepted at the head of the chain, or after the command that drops', () => {
  const save = fixed(table('filter', `:INPUT DROP [0:0]\n${sshOnly}`));
  assert.match(save.text, /:INPUT DROP \[0:0\]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack/);
  assert.equal(save.left, 0);
  const empty = fixed(table('filter', ':INPUT ACCEPT [0:0]\n:OUTPUT DROP [0:0]\n:FORWARD DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'));
  assert.match(empty.text, /:OUTPUT DROP \[0:0\]\n-A OUTPUT -o lo -j ACCEPT\n:FORWARD DROP/, 'an empty chain: after its declaration');
  assert.equal(empty.left, 0);
  const sh = fixed('  sudo iptables -P INPUT DROP\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', 'script');
  assert.equal(sh.text, '  sudo iptables -P INPUT DROP\n  sudo iptables -I INPUT -i lo -j ACCEPT\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n');
  assert.equal(sh.left, 0);
});

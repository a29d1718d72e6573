import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import type { Fix } from '../types.ts';
import { redundantRule } from './redundant-rule.ts';

ruleTable(redundantRule, {
  valid: [
    { code: 'iptables -C INPUT -p tcp --dport 22 -j ACCEPT || iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -C INPUT -p tcp --dport 22 -j ACCEPT || iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'iptables -C || iptables -A adds the rule once' },
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 23 -j ACCEPT') },
    { code: table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.101'), name: 'a second DNAT elsewhere is shadowed, not redundant' },
    { code: table('filter', '-A INPUT -s 2001:db8::/32 -j DROP\n-A INPUT -s 2001:db9::/32 -j DROP\n-A INPUT -s 2001:db8::/31 -j DROP'), family: 'ipv6', name: 'IPv6: the next network, a wider one' },
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset\n-A INPUT -p tcp --dport 22 -j REJECT'), name: 'another REJECT answer' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp -m conntrack --ctstate NEW,INVALID -j ACCEPT\n«-A INPUT -p tcp --dport 22 -j ACCEPT»'), name: 'rules that together accept every state of its packets' },
    { code: table('filter', '-A INPUT -p tcp --dport 20:25 -j ACCEPT\n«-A INPUT -p tcp --dport 22 -j ACCEPT»') },
    { code: table('filter', '-A INPUT -s 192.0.2.0/24 -j DROP\n«-A INPUT -s 192.0.2.0/24 -j DROP»'), name: 'a duplicate' },
    // iptables -S shows 10.0.0.0/8 for all three (iptables 1.8.9)
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -j DROP\n«-A INPUT -s 10/8 -j DROP»\n«-A INPUT -s 10.1/8 -j DROP»\n«-A INPUT -s 10.1.2/255.255.0.0 -j DROP»'), name: 'networks written short, or with host bits' },
    // ip6tables -S shows 2001:db8::/32 for all three (ip6tables 1.8.9)
    { code: table('filter', '-A INPUT -s 2001:db8::/32 -j DROP\n«-A INPUT -s 2001:DB8:0::/32 -j DROP»\n«-A INPUT -s 2001:db8:1::/ffff:ffff:: -j DROP»\n«-A INPUT -s 2001:db8:7::/48 -j DROP»'), family: 'ipv6', name: 'IPv6 networks written otherwise, with host bits, or inside' },
    { code: table('nat', '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n«-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to 192.168.1.100:8080»'), name: 'the same port forward twice, the second abbreviated' },
    { code: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n«iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\n', dialect: 'script', name: 'a script that masquerades twice' },
    { code: table('filter', '-A LAN -i lo -j RETURN\n«-A LAN -i lo -j RETURN»'), name: 'RETURN twice' },
  ],
});

const own = (fixes: Fix[] | undefined) => (fixes ?? []).filter((f) => !f.title.startsWith('Disable'));

test('the fix removes the redundant rule\'s line, in a save file and in a script (with its comment)', () => {
  const save = fixFirst(redundantRule, table('filter', '-A INPUT -p tcp --dport 20:25 -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP'));
  assert.equal(save.text, table('filter', '-A INPUT -p tcp --dport 20:25 -j ACCEPT\n-A INPUT -j DROP'));
  assert.equal(save.left, 0);
  assert.notEqual(save.finding.fixes?.[0].safe, true);
  const script = fixFirst(redundantRule, '#!/bin/sh\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n  iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE  # again\necho done\n', { dialect: 'script' });
  assert.equal(script.text, '#!/bin/sh\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\necho done\n');
  // the last line of a text without a newline
  assert.equal(fixFirst(redundantRule, 'iptables -A INPUT -s 192.0.2.0/24 -j DROP\niptables -A INPUT -s 192.0.2.0/24 -j DROP', { dialect: 'script' }).text, 'iptables -A INPUT -s 192.0.2.0/24 -j DROP');
});

test('no removal where it would take something else along, or where rules are counted by number', () => {
  const fixesOf = (text: string, dialect: 'save' | 'script' = 'script') => lintWith(redundantRule, text, { dialect }).map((d) => own(d.fixes).length);
  // the same line holds another command; under a condition; a numbered command of the chain
  assert.deepEqual(fixesOf('iptables -A INPUT -s 192.0.2.0/24 -j DROP\niptables -A INPUT -s 192.0.2.0/24 -j DROP && echo ok\n'), [0]);
  assert.deepEqual(fixesOf('iptables -A INPUT -s 192.0.2.0/24 -j DROP\nif true; then\n  iptables -A INPUT -s 192.0.2.0/24 -j DROP\nfi\n'), [0]);
  assert.deepEqual(fixesOf('iptables -A INPUT -s 192.0.2.0/24 -j DROP\niptables -A INPUT -s 192.0.2.0/24 -j DROP\niptables -D INPUT 3\n'), [0]);
  assert.deepEqual(fixesOf(table('filter', '-A INPUT -s 192.0.2.0/24 -j DROP\n-A INPUT -s 192.0.2.0/24 -j DROP\n-I INPUT 2 -p icmp -j ACCEPT'), 'save'), [0]);
  // another chain's numbers do not matter
  assert.deepEqual(fixesOf('iptables -A INPUT -s 192.0.2.0/24 -j DROP\niptables -A INPUT -s 192.0.2.0/24 -j DROP\niptables -I OUTPUT 1 -j ACCEPT\n'), [1]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { missingEstablishedRule } from './missing-established-rule.ts';

ruleTable(missingEstablishedRule, {
  valid: [
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT') },
    { code: table('filter', ':INPUT DROP [0:0]\n:base - [0:0]\n-A INPUT -j base\n-A base -m state --state ESTABLISHED,RELATED -j ACCEPT'), name: 'in a chain it jumps to' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p icmp -j ACCEPT'), name: 'ESTABLISHED alone, but every ICMP accepted' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED -j ACCEPT'), name: 'RELATED accepted by a rule of its own' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p ipv6-icmp --icmpv6-type packet-too-big -j ACCEPT'), family: 'ipv6', name: 'IPv6: packet-too-big accepted' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j DROP') },
  ],
  invalid: [
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT') },
    { code: 'iptables -P FORWARD «DROP»\niptables -A FORWARD -i eth1 -j ACCEPT\n', dialect: 'script' },
    { code: table('filter', ':INPUT DROP [0:0]\n:base - [0:0]\n-A INPUT -j base\n-A base -m state --state «ESTABLISHED» -j ACCEPT\n-A INPUT -p icmp --icmp-type echo-request -j ACCEPT'), name: 'ESTABLISHED without RELATED, in a chain it jumps to' },
    { code: 'ip6tables -P FORWARD DROP\nip6tables -A FORWARD -m conntrack --ctstate «\"ESTABLISHED\"» -j ACCEPT\n', dialect: 'script', name: 'IPv6 forwarding without RELATED: no packet-too-big' },
  ],
});

test('missing-established-rule fix: RELATED added to the accepted states, quotes kept', () => {
  for (const [before, after] of [['ESTABLISHED', 'ESTABLISHED,RELATED'], ['"ESTABLISHED"', '"ESTABLISHED,RELATED"']]) {
    const text = `iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ${before} -j ACCEPT\n`;
    const [d] = lintWith(missingEstablishedRule, text, { dialect: 'script' });
    const out = applyFix(text, d.fixes![0]);
    assert.equal(out, `iptables -P INPUT DROP\niptables -A INPUT -m conntrack --ctstate ${after} -j ACCEPT\n`);
    assert.deepEqual(lintWith(missingEstablishedRule, out, { dialect: 'script' }), []);
  }
});

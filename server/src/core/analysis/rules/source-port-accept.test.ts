import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { sourcePortAccept } from './source-port-accept.ts';

const script = { dialect: 'script' as const };
const closed = (body: string) => table('filter', `:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n${body}`);

ruleTable(sourcePortAccept, {
  valid: [
    { code: closed('-A INPUT -p udp --sport 53 --dport 1024:65535 -j ACCEPT\n-A INPUT -p udp -m multiport --sports 67,68 --dports 67,68 -j ACCEPT'), name: 'a destination port as well' },
    { code: closed('-A INPUT -s 192.0.2.53 -p udp --sport 53 -j ACCEPT\n-A INPUT -i lo -p tcp --sport 80 -j ACCEPT'), name: 'one source, or the loopback interface' },
    { code: closed('-A INPUT -p tcp --sport 80 -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --sport 80 ! --syn -j ACCEPT\n-A INPUT -p tcp ! --sport 80 -j ACCEPT\n-A INPUT -p tcp --sport 80 -m set --match-set servers src -j ACCEPT'), name: 'replies only, no new connection, negated, another narrowing match' },
    { code: table('filter', '-A INPUT -p udp --sport 53 -j ACCEPT'), name: 'INPUT accepts everything anyway' },
    { code: closed('-A OUTPUT -p udp --sport 53 -j ACCEPT\n-A INPUT -p udp --sport 53 -j DROP\n-A INPUT -p udp --sport 53 -j LOG'), name: 'OUTPUT, or not an accept' },
    { code: table('mangle', '-A PREROUTING -p udp --sport 53 -j ACCEPT'), name: 'another table' },
    { code: closed(':unused - [0:0]\n-A unused -p udp --sport 53 -j ACCEPT'), name: 'a chain nothing jumps to' },
  ],
  invalid: [
    { code: closed('-A INPUT -p udp «--sport 53» -j ACCEPT\n-A INPUT -p tcp -m tcp «--sport 80» -m comment --comment web -j ACCEPT\n-A INPUT -p tcp -m multiport «--sports 137,138,139,445» -j ACCEPT'), name: 'INPUT closed by its policy' },
    { code: closed('-A FORWARD -d 198.51.100.5/32 -o eth1 -p tcp «--sport 443» -j ACCEPT'), name: 'FORWARD, to one host' },
    { code: closed('-A INPUT -p udp -m multiport «--ports 53,123» -j ACCEPT'), name: 'multiport\'s --ports: a listed port on either side' },
    { code: table('filter', ':replies - [0:0]\n-A INPUT -j replies\n-A INPUT -j REJECT\n-A replies -i eth0 -p udp «--sport 123» -j ACCEPT'), name: 'a chain INPUT jumps to, INPUT closed by its last rule' },
    { ...script, code: 'ip6tables -P INPUT DROP\nip6tables -A INPUT -p udp «--sport 53» -j ACCEPT\n', name: 'IPv6, in a script' },
  ],
});

test('source-port-accept fix: accepts replies only, and nothing is reported then', () => {
  const text = closed('-A INPUT -p udp --sport 53 -j ACCEPT');
  const [d] = lintWith(sourcePortAccept, text, { dialect: 'save' });
  const out = applyFix(text, d.fixes![0]);
  assert.match(out, /\n-A INPUT -p udp --sport 53 -m conntrack --ctstate ESTABLISHED -j ACCEPT\n/);
  assert.equal(lintWith(sourcePortAccept, out, { dialect: 'save' }).length, 0);
});

test('source-port-accept fix for multiport --ports: the destination port only', () => {
  const text = closed('-A INPUT -p udp -m multiport --ports 53,123 -j ACCEPT');
  const [d] = lintWith(sourcePortAccept, text, { dialect: 'save' });
  const out = applyFix(text, d.fixes![0]);
  assert.match(out, /\n-A INPUT -p udp -m multiport --dports 53,123 -j ACCEPT\n/);
  assert.equal(lintWith(sourcePortAccept, out, { dialect: 'save' }).length, 0);
});

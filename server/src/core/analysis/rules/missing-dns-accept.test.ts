import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { missingDnsAccept } from './missing-dns-accept.ts';

const script = { dialect: 'script' as const };
/** OUTPUT closed by its policy, with replies, loopback and HTTPS let out, and `rules` after those. */
const closed = (rules: string, policy = 'DROP') => table('filter', `:INPUT ACCEPT [0:0]\n:OUTPUT ${policy} [0:0]\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A OUTPUT -p tcp --dport 443 -j ACCEPT${rules ? `\n${rules}` : ''}`);

ruleTable(missingDnsAccept, {
  valid: [
    { code: closed('-A OUTPUT -p udp --dport 53 -j ACCEPT\n-A OUTPUT -p tcp --dport 53 -j ACCEPT') },
    { code: closed('-A OUTPUT -p udp --dport 53 -j ACCEPT'), name: 'UDP accepted: TCP alone is not reported' },
    { code: closed('-A OUTPUT -d 9.9.9.9 -p udp --dport 53 -j ACCEPT'), name: 'one name server\'s address: the host may use only that one' },
    { code: closed('-A OUTPUT -p udp -m multiport --dports 53,123 -j ACCEPT'), name: 'by multiport' },
    { code: closed('-A OUTPUT -m owner --uid-owner unbound -j ACCEPT'), name: 'the resolver\'s user let out' },
    { code: closed('-A OUTPUT -p udp -j ACCEPT'), name: 'all of UDP' },
    { code: table('filter', ':OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'), name: 'a host that opens no connection: only replies leave' },
    { code: table('filter', ':OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp --dport 25 -j REJECT'), name: 'OUTPUT open' },
    { code: table('filter', ':OUTPUT DROP [0:0]\n-A OUTPUT -p tcp --dport 443 -j ACCEPT'), family: 'ipv6', name: 'IPv6 left alone' },
    { ...script, code: 'iptables -P OUTPUT DROP\niptables -A OUTPUT -p tcp --dport 443 -j ACCEPT\niptables -A OUTPUT -p udp --dport $DNS_PORT -j ACCEPT\n', name: 'a port the script decides at run time' },
    { ...script, code: 'for p in 53 443; do\n  iptables -A OUTPUT -p udp --dport $p -j ACCEPT\ndone\niptables -A OUTPUT -p tcp --dport 443 -j ACCEPT\niptables -P OUTPUT DROP\n', name: 'accepted in a loop' },
  ],
  invalid: [
    { code: closed('', '«DROP»') },
    { code: closed('«-A OUTPUT -j REJECT»', 'ACCEPT'), name: 'closed by a last reject of everything' },
    { code: closed('-A OUTPUT -p tcp --dport 53 -j ACCEPT', '«DROP»'), name: 'TCP accepted, UDP not' },
    { code: table('filter', ':OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n«-A OUTPUT -p udp -j DROP»\n-A OUTPUT -p udp --dport 53 -j ACCEPT\n-A OUTPUT -p tcp --dport 443 -j ACCEPT'), name: 'a drop of UDP before the accept' },
    { ...script, code: 'iptables -F\niptables -P OUTPUT «DROP»\niptables -A OUTPUT -o lo -j ACCEPT\niptables -A OUTPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\niptables -A OUTPUT -p tcp -m multiport --dports 80,443 -j ACCEPT\niptables -A OUTPUT -p udp --dport 123 -j ACCEPT\n', name: 'a hardened server: web and time let out, DNS forgotten' },
  ],
});

test('missing-dns-accept names what it loses, and the rule that lets connections out', () => {
  const text = closed('', 'DROP');
  const [d] = lintWith(missingDnsAccept, text);
  assert.match(d.message, /udp\/53, tcp\/53/);
  assert.deepEqual(d.related?.map((r) => text.slice(r.span.start, r.span.end)), ['-A OUTPUT -p tcp --dport 443 -j ACCEPT']);
});

test('missing-dns-accept fix: accepts of udp and tcp port 53 at the head of OUTPUT, in a save file and in a script', () => {
  const save = fixFirst(missingDnsAccept, closed('', 'DROP'));
  assert.equal(save.left, 0);
  assert.match(save.text, /:OUTPUT DROP \[0:0\]\n-A OUTPUT -p udp --dport 53 -j ACCEPT\n-A OUTPUT -p tcp --dport 53 -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\n/);
  const text = 'iptables -P OUTPUT DROP\niptables -A OUTPUT -p tcp --dport 443 -j ACCEPT\niptables -A OUTPUT -p tcp --dport 53 -j ACCEPT\n';
  const fixed = fixFirst(missingDnsAccept, text, script);
  assert.equal(fixed.left, 0);
  assert.equal(fixed.text, 'iptables -P OUTPUT DROP\niptables -I OUTPUT -p udp --dport 53 -j ACCEPT\niptables -A OUTPUT -p tcp --dport 443 -j ACCEPT\niptables -A OUTPUT -p tcp --dport 53 -j ACCEPT\n');
});

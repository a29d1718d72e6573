import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { optionRequiresMatch } from './option-requires-match.ts';

ruleTable(optionRequiresMatch, {
  valid: [
    { code: 'P="-p tcp"\niptables -A INPUT $P --dport 22 -j ACCEPT\n', dialect: 'script', name: 'an unquoted expansion before the option may be the -p it needs (the shell splits it)' },
    { code: 'P="-p tcp"\niptables -A INPUT $P -m multiport --dports 80,443 -j REJECT --reject-with tcp-reset\n', dialect: 'script', name: 'an unquoted expansion before the match or value may be the -p it needs' },
    { code: table('filter', '-A INPUT -p tcp -j REJECT --reject-with tcp-reset\n-A INPUT -p 6 -j REJECT --reject-with tcp-rst\n-A INPUT -p TCP -j REJECT --reject-with tcp-reset'), name: 'a TCP reset for TCP' },
    { code: '*filter\n-A INPUT -p tcp -m ecn --ecn-tcp-cwr -j ACCEPT\n-A INPUT -m ecn --ecn-ip-ect 1 -j ACCEPT\nCOMMIT\n', name: 'ecn: TCP flags with -p tcp, IP field without' },
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT') },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80') },
    { code: table('nat', '-A PREROUTING -j DNAT --to-destination 10.0.0.1') },
    { code: table('filter', '-A INPUT -p udp -m multiport --dports 53,67 -j ACCEPT') },
    // measured (1.8.9, both backends): the kernel finds the helper by name and -p, numbers and letter case of -p aside
    { code: table('raw', '-A PREROUTING -p 6 --dport 21 -j CT --helper ftp\n-A PREROUTING -p UDP -j CT --helper tftp\n-A PREROUTING -p udp -j CT --helper sip\n-A PREROUTING -p tcp -j CT --helper sip\n-A PREROUTING -p udp -j CT --helper rpc\n-A PREROUTING -p tcp -j CT --helper $H'), name: 'a helper with its protocol, a userspace helper, a name not known' },
  ],
  invalid: [
    { code: 'iptables -A INPUT -s $NET «--dport» 80 -j ACCEPT\niptables -A INPUT "$Q" «--dport» 81 -j ACCEPT\n', dialect: 'script', name: 'an expansion that is an address, or quoted (one word), loads no match' },
    // measured (1.8.9): udplite has no ports for the NAT targets, IPv4's icmp has (its echo identifier); ip6tables' icmpv6 has not
    { code: 'iptables -t nat -A PREROUTING -p udplite -j DNAT «--to-destination» 10.200.0.2:80\nip6tables -t nat -A PREROUTING -p icmpv6 -j DNAT «--to-destination» [2001:db8::1]:80\niptables -t nat -A PREROUTING -p icmp -j DNAT --to-destination 10.200.0.2:80\niptables -t nat -A POSTROUTING -p 1 -j MASQUERADE --to-ports 1024-2000\niptables -t nat -A PREROUTING ! -p tcp -j DNAT --to-destination 10.200.0.2:80-90\n', dialect: 'script', name: 'NAT ports for protocols without them' },
    { code: 'iptables -A INPUT ! -p tcp -m «tcp» --syn -j DROP\n', dialect: 'script', severity: 'warning', name: 'the match of the protocol the rule excludes (iptables-nft takes it)' },
    { code: 'iptables -A INPUT ! -p udp -m «tcp» --syn -j DROP\n', dialect: 'script', severity: 'error', name: 'the match of a protocol the rule does not name' },
    { code: table('filter', '-A INPUT -j REJECT --reject-with «tcp-reset»\n-A INPUT -p udp -j REJECT --reject-with «tcp-reset»\n-A INPUT ! -p tcp -j REJECT --reject-with «tcp-rst»'), name: 'a TCP reset without -p tcp (the kernel refuses it; iptables-restore --test does not)' },
    { code: '*filter\n-A INPUT -m ecn «--ecn-tcp-cwr» -j ACCEPT\n-A INPUT -p udp -m ecn «--ecn-tcp-ece» -j ACCEPT\nCOMMIT\n', name: 'ecn: TCP flags without -p tcp' },
    { code: table('filter', '-A INPUT «--dport» 22 -j ACCEPT'), name: '--dport without -p' },
    { code: 'ip6tables -A INPUT -p icmpv6 «--icmp-type» echo-request -j ACCEPT\n', dialect: 'script', name: '--icmp-type in ip6tables' },
    { code: table('filter', '-A INPUT «--ctstate» NEW -j ACCEPT'), name: '--ctstate without -m conntrack' },
    { code: table('filter', '-A INPUT --dport 22 -p tcp -j ACCEPT').replace('--dport', '«--dport»'), name: 'option before its match' },
    { code: table('nat', '-A PREROUTING «--to-destination» 10.0.0.1 -j DNAT'), name: 'target option before -j' },
    { code: table('filter', '-A INPUT -m «tcp» --dport 22 -j ACCEPT'), name: '-m tcp without -p tcp' },
    { code: table('filter', '-A INPUT -m «multiport» --dports 22,80 -j ACCEPT'), name: 'multiport without a protocol' },
    { code: table('nat', '-A PREROUTING -j DNAT «--to-destination» 10.0.0.1:8080'), name: 'DNAT to a port without -p' },
    { code: table('nat', '-A PREROUTING -j REDIRECT «--to-ports» 3128') },
    // measured (1.8.9): `-p ipv6-icmp` loads nothing in iptables, `-p icmp` nothing in ip6tables: "unknown option"
    { code: 'iptables -A INPUT -p ipv6-icmp «--icmpv6-type» neighbour-solicitation -j ACCEPT\nip6tables -A INPUT -p icmp «--icmp-type» echo-request -j ACCEPT\niptables -A INPUT -p mh «--mh-type» binding-update -j ACCEPT\n', dialect: 'script', name: 'an option of the protocol\'s match in the tool of the other family' },
    { code: table('raw', '-A PREROUTING -p udp -j CT --helper «ftp»\n-A PREROUTING -j CT --helper «tftp»\n-A PREROUTING ! -p udp -j CT --helper «amanda»\n-A PREROUTING -p sctp -j CT --helper «sip»'), name: 'a helper without its protocol (the kernel refuses it; iptables-restore --test does not)' },
  ],
});

test('option-requires-match: --icmp-type in ip6tables is renamed --icmpv6-type where the type is a name', () => {
  const named = 'ip6tables -A INPUT -p icmpv6 --icmp-type echo-request -j ACCEPT\n';
  const [d] = lintWith(optionRequiresMatch, named, { dialect: 'script' });
  const out = applyFix(named, d.fixes![0]);
  assert.equal(out, 'ip6tables -A INPUT -p icmpv6 --icmpv6-type echo-request -j ACCEPT\n');
  assert.deepEqual(lintWith(optionRequiresMatch, out, { dialect: 'script' }), []);
  // ICMP type 8 is a ping; ICMPv6 type 8 is none: a number is not carried over
  const [n] = lintWith(optionRequiresMatch, 'ip6tables -A INPUT -p icmpv6 --icmp-type 8 -j ACCEPT\n', { dialect: 'script' });
  assert.deepEqual(n.fixes?.filter((f) => f.title.startsWith('Change')) ?? [], []);
});

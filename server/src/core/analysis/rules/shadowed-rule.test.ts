import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../facade.ts';
import { fixFirst, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { shadowedRule } from './shadowed-rule.ts';

/** Rules enough that a chain is compared only between rules with the same tests (kube-proxy's size). */
const LONG_CHAIN = Array.from({ length: 1600 }, (_, i) => `-A INPUT -s 10.0.${i >> 8}.${i & 255} -p tcp --dport 80 -j ACCEPT`).join('\n');

ruleTable(shadowedRule, {
  valid: [
    { code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p ipv6-icmp -j DROP'), family: 'ipv6', name: 'IPv6: conntrack leaves neighbour discovery UNTRACKED, which reaches an ICMPv6 rule' },
    { code: '*raw\n-A PREROUTING -p udp --dport 53 -j CT --notrack\nCOMMIT\n' + table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -p tcp -m multiport --dports 22,80 -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p tcp --dport 22 -j DROP'), name: 'the raw table untracks packets: an UNTRACKED packet reaches the rule' },
    { code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p tcp --dport 22 -j DROP'), name: 'no rule decides INVALID packets: they reach the rule' },
    { code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED,INVALID -j ACCEPT\n-A INPUT -p tcp --dport 22 -s 10.0.0.0/8 -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p tcp --dport 22 -j DROP'), name: 'the NEW accept covers some sources only' },
    { code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED,INVALID -j ACCEPT\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate DNAT -j DROP'), name: 'conntrack\'s DNAT is no packet state' },
    { code: 'iptables -A INPUT -p tcp --dport 1:70000 -j ACCEPT\niptables -A INPUT -p tcp --dport 80 -j REJECT\n', dialect: 'script', name: 'a rule iptables refuses (a port past 65535) shadows nothing' },
    { code: 'iptables -t nat -A POSTROUTING -o eth0 -j SNAT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n', dialect: 'script', name: 'a SNAT without --to-source, which iptables refuses, shadows nothing' },
    { code: 'iptables -A INPUT -p tcp --dport 22,80 -j ACCEPT\niptables -A INPUT -p tcp --dport 80 -j REJECT\n', dialect: 'script', name: 'a rule iptables refuses (a list in --dport) shadows nothing' },
    { code: table('filter', '-A INPUT -s 10.1.2.3 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP') },
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j DROP\n-A INPUT -p udp --dport 22 -j ACCEPT'), name: 'other protocol' },
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -m limit --limit 1/s -j DROP\n-A INPUT -s 10.1.2.3 -j ACCEPT'), name: 'a match we cannot compare' },
    { code: table('filter', '-A INPUT -i eth+ -j DROP\n-A INPUT -i wlan0 -j ACCEPT') },
    { code: table('filter', '-A FORWARD -d 192.168.1.10 -p tcp --dport 22 -j DROP\n-A FORWARD -d 192.168.1.11 -p tcp --dport 22 -j ACCEPT\n-A FORWARD -d 192.168.1.10 -p tcp --dport 23 -j ACCEPT\n-A FORWARD -p tcp --dport 22 -j ACCEPT'), name: 'other hosts, other ports, a wider rule after narrower ones' },
    { code: 'if [ "$BLOCK_LAN" = yes ]; then\n  iptables -A INPUT -s 10.0.0.0/8 -j DROP\nfi\niptables -A INPUT -s 10.1.2.3 -j ACCEPT\n', dialect: 'script', name: 'the earlier rule is added under a shell condition' },
    { code: table('nat', '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n-A PREROUTING -i eth0 -p tcp --dport 81 -j DNAT --to-destination 192.168.1.101:8080\n-A PREROUTING -i eth1 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.101:8080'), name: 'port forwards of other ports or interfaces' },
    { code: table('nat', '-A PREROUTING -p tcp --dport 80 -m statistic --mode random --probability 0.5 -j DNAT --to-destination 192.168.1.100\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.101'), name: 'load balancing: the first DNAT takes half of the connections' },
    { code: table('nat', '-A KUBE-SEP-A -s 10.244.0.5/32 -j KUBE-MARK-MASQ\n-A KUBE-SEP-A -p tcp -j DNAT --to-destination 10.244.0.5:8080\n-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'), name: "kube-proxy's endpoint chain: a jump, then the DNAT" },
    { code: table('nat', '-A POSTROUTING -o eth0 -s 10.0.0.0/8 -j SNAT --to-source 203.0.113.5\n-A POSTROUTING -o eth0 -j MASQUERADE'), name: 'SNAT for some sources, then MASQUERADE for the rest' },
    { code: table('filter', '-A INPUT -s 203.0.113.9 -j LOG --log-prefix "blocked: "\n-A INPUT -s 203.0.113.9 -j DROP\n-A INPUT -s 203.0.113.10 -j LOG'), name: 'LOG before the DROP; a LOG of another source' },
    { code: table('nat', '-A KUBE-SEP-B -s 10.244.0.6/32 -j KUBE-MARK-MASQ\n-A KUBE-SEP-B -p tcp -j DNAT --to-destination 10.244.0.6:8080\n-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'), name: 'the one deciding rule is the last' },
    { code: table('filter', ':LOGONLY - [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j LOGONLY\n-A INPUT -s 10.1.2.3 -j ACCEPT\n-A LOGONLY -j LOG'), name: 'a jump to a chain that only logs' },
    { code: table('filter', ':CHK - [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j CHK\n-A INPUT -s 10.1.2.3 -j ACCEPT\n-A CHK -s 10.1.0.0/16 -j RETURN\n-A CHK -j DROP'), name: 'a jump to a chain that returns some packets' },
    { code: table('filter', ':LOGONLY - [0:0]\n:wan-in - [0:0]\n-A INPUT -j wan-in\n-A wan-in -s 10.0.0.0/8 -j LOGONLY\n-A wan-in -s 10.1.2.3 -j ACCEPT\n-A LOGONLY -j LOG'), name: 'a user chain that jumps to a chain that only logs' },
    { code: table('nat', '-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80'), name: "Docker's chain: RETURN for the bridge, DNAT for the others" },
    { code: table('filter', '-A INPUT -s 2001:db8:1::/48 -j DROP\n-A INPUT -s 2001:db8:2::5 -j ACCEPT\n-A INPUT -s 2001:db8:0:8000::/49 -p tcp -j ACCEPT\n-A INPUT -s 2001:db8::/32 -j ACCEPT'), family: 'ipv6', name: 'IPv6: an address outside the dropped network, a wider network after it' },
    { code: table('nat', '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully'), name: "kube-proxy's RETURN tests a mark" },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT\n«-A INPUT -p tcp --dport 22 -j DROP»'), family: 'ipv6', name: 'IPv6: a tcp rule after rules that decide every state' },
    { code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -p tcp -m multiport --dports 22,80 -m conntrack --ctstate NEW -j ACCEPT\n«-A INPUT -p tcp --dport 22 -m recent --name ssh --set»\n«-A INPUT -p tcp --dport 22 -m recent --name ssh --update --seconds 60 --hitcount 4 -j DROP»'), name: 'a rate limit after rules that together decide every state of its packets (established, invalid, new)' },
    { code: table('filter', '-A INPUT -m state --state NEW,INVALID -j DROP\n«-A INPUT -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT»\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n«-A INPUT -p tcp --dport 22 -j REJECT»'), name: 'the state match and conntrack; with no packet untracked, a NEW,UNTRACKED accept after a NEW drop never takes effect' },
    { code: 'iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED,INVALID -j ACCEPT\niptables -A INPUT -p tcp -m conntrack --ctstate NEW -j ACCEPT\n«iptables -A INPUT -p tcp --dport 22 -m conntrack ! --ctstate ESTABLISHED -j DROP»\n', dialect: 'script', name: 'a negated state test: the rest of the states' },
    { code: table('filter', '-A INPUT -s 2001:db8::/32 -j DROP\n«-A INPUT -s 2001:db8:1::/48 -p tcp --dport 22 -j ACCEPT»\n«-A INPUT -s 2001:DB8:2:0::5 -j ACCEPT»\n«-A INPUT -s 2001:db8:3::/ffff:ffff:ffff:ff00:: -j ACCEPT»'), family: 'ipv6', name: 'IPv6: a network and addresses inside a dropped prefix, written in other ways' },
    { code: table('filter', '-A INPUT -s 2001:db8::5 -p tcp --dport 22 -j DROP\n«-A INPUT -s 2001:db8:0:0:0:0:0:5/128 -p tcp --dport 22 -j ACCEPT»'), family: 'ipv6', name: 'IPv6: one host written out in full' },
    { code: table('filter', ':LOGDROP - [0:0]\n:wan-in - [0:0]\n-A INPUT -i eth0 -j wan-in\n-A wan-in -s 10.0.0.0/8 -j LOGDROP\n«-A wan-in -s 10.1.2.3 -p tcp --dport 22 -j ACCEPT»\n-A LOGDROP -j LOG\n-A LOGDROP -j DROP'), name: 'in a user chain, a jump to a log-and-drop chain decides first' },
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -j DROP\n«-A INPUT -s 10.1.2.3 -j ACCEPT»') },
    { code: table('filter', '-A INPUT -s 10/8 -j DROP\n«-A INPUT -s 10.1.2.3 -j ACCEPT»\n«-A INPUT -s 10.1/16 -j ACCEPT»'), name: 'a network written short' },
    { code: table('filter', '-A INPUT -p tcp --dport 1:1024 -j REJECT\n«-A INPUT -p tcp -s 192.0.2.1 --dport 22 -j ACCEPT»') },
    { code: table('filter', '-A INPUT -i eth+ -j DROP\n«-A INPUT -i eth1 -p tcp -j ACCEPT»'), name: 'interface wildcard' },
    { code: table('filter', '-A INPUT -m conntrack --ctstate NEW,INVALID -j DROP\n«-A INPUT -m state --state INVALID -j ACCEPT»'), name: 'conntrack states' },
    { code: table('filter', '-A FORWARD -d 192.168.1.10 -p tcp --dport 22 -j DROP\n-A FORWARD -d 192.168.1.11 -j ACCEPT\n«-A FORWARD -d 192.168.1.10/32 -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT»'), name: 'the same host and port written another way' },
    { code: table('filter', '-A FORWARD -d 192.168.1.0/24 -p tcp -m multiport --dports 22,80 -j DROP\n«-A FORWARD -d 192.168.1.10 -p tcp --dport 80 -j ACCEPT»'), name: 'a network and a port list over one host and port' },
    { code: 'iptables -A INPUT -s 10.0.0.0/8 -j DROP\nif [ -n "$ADMIN" ]; then\n  «iptables -A INPUT -s 10.1.2.3 -j ACCEPT»\nfi\n', dialect: 'script', name: 'the later rule under a condition is still hidden when added' },
    { code: 'if [ -n "$BLOCK" ]; then\n  iptables -A INPUT -s 10.0.0.0/8 -j DROP\n  «iptables -A INPUT -s 10.1.2.3 -j ACCEPT»\nfi\n', dialect: 'script', name: 'both under the same condition' },
    { code: table('nat', '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n«-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 192.168.1.101:8080»'), name: 'one port forwarded to two servers: the second DNAT never applies' },
    { code: 'iptables -t nat -A PREROUTING -i eth0 -p udp --dport 5000:5010 -j DNAT --to 192.168.1.100\n«iptables -t nat -A PREROUTING -i eth0 -p udp --dport 5004 -j DNAT --to 192.168.1.102»\n', dialect: 'script', name: 'a port of a forwarded range forwarded elsewhere after it' },
    { code: table('nat', '-A PREROUTING -p tcp --dport 443 -j ACCEPT\n«-A PREROUTING -i eth0 -p tcp --dport 443 -j REDIRECT --to-ports 8443»'), name: 'ACCEPT in nat leaves the connection untranslated' },
    { code: table('nat', '-A POSTROUTING -o eth0 -j MASQUERADE\n«-A POSTROUTING -o eth0 -s 10.0.0.0/8 -j SNAT --to-source 203.0.113.5»'), name: 'MASQUERADE for every source, then SNAT for some' },
    { code: table('filter', '-A LAN -s 192.168.0.0/16 -j RETURN\n«-A LAN -s 192.168.1.0/24 -p tcp --dport 22 -j DROP»'), name: 'RETURN for a network, then a drop inside it' },
    { code: table('filter', '-A INPUT -s 203.0.113.9 -j DROP\n«-A INPUT -s 203.0.113.9 -j LOG --log-prefix "blocked: "»'), name: 'a LOG after the DROP it was meant to record' },
    { code: table('filter', ':LOGDROP - [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j LOGDROP\n«-A INPUT -s 10.1.2.3 -j ACCEPT»\n-A LOGDROP -j LOG\n-A LOGDROP -j DROP'), name: 'a jump to a log-and-drop chain decides first' },
    { code: table('filter', ':f2b-sshd - [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n«-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd»\n-A f2b-sshd -s 203.0.113.7/32 -j REJECT\n-A f2b-sshd -j RETURN'), name: "fail2ban's jump after the accept of its port: it never bans anyone" },
    { code: table('filter', ':LOGDROP - [0:0]\n-A INPUT -s 10.0.0.0/8 -j LOGDROP\n«-A INPUT -s 10.1.2.3 -j ACCEPT»\n-A LOGDROP -j LOG\n-A LOGDROP -j DROP'), name: 'the jump to the log-and-drop chain is the first rule of INPUT' },
    { code: table('filter', ':OTHER - [0:0]\n-A INPUT -s 10.0.0.0/8 -g OTHER\n«-A INPUT -s 10.1.2.3 -j ACCEPT»\n-A OTHER -p tcp -j ACCEPT'), name: 'a goto: the packets never come back' },
    { code: table('filter', ':ssh - [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n«-A INPUT -p tcp --dport 22 -j ssh»\n«-A INPUT -p tcp -m tcp --dport 22»'), name: 'a jump and a counter after an accept' },
    { code: table('mangle', '-A PREROUTING -i eth0 -j ACCEPT\n«-A PREROUTING -i eth0 -p tcp -j MARK --set-mark 1»'), name: 'a MARK after an ACCEPT in mangle' },
    { code: table('filter', `:LOGDROP - [0:0]\n-A INPUT -s 192.0.2.9 -j LOGDROP\n${LONG_CHAIN}\n«-A INPUT -s 192.0.2.9 -j ACCEPT»\n-A LOGDROP -j LOG\n-A LOGDROP -j DROP`), name: 'a chain of 1,600 rules: the jump to the log-and-drop chain before the same tests' },
  ],
});

test('shadowed-rule and redundant-rule: a state match written without its value under one with a value (a syntax error) is judged, not a failure of the checks', () => {
  const text = '*filter\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -m conntrack --ctstate -A FORWARD -j DROP\nCOMMIT\n';
  const codes = new FirewallDocument(text, { fileName: 'rules.v4' }).diagnostics().map((d) => d.code);
  assert.ok(codes.includes('syntax-error') || codes.includes('invalid-value'), codes.join());
  assert.ok(!codes.includes('internal-error'), codes.join());
});

test('shadowed-rule: rules that decide a rule\'s packets by state are each related with their states; the fix moves the rule before the first', () => {
  const text = table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -m conntrack --ctstate INVALID -j DROP\n-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p tcp --dport 22 -m recent --name ssh --update --hitcount 4 -j DROP');
  const { text: fixed, left, finding } = fixFirst(shadowedRule, text);
  const slice = (s: { start: number; end: number }) => text.slice(s.start, s.end);
  assert.equal(slice(finding.span), '-A INPUT -p tcp --dport 22 -m recent --name ssh --update --hitcount 4 -j DROP');
  assert.deepEqual(finding.related?.map((r) => slice(r.span)), ['-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-A INPUT -m conntrack --ctstate INVALID -j DROP', '-A INPUT -p tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT']);
  assert.ok(fixed.includes('*filter\n-A INPUT -p tcp --dport 22 -m recent --name ssh --update --hitcount 4 -j DROP\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n'));
  assert.equal(left, 0);
});

import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { shadowedRule } from './shadowed-rule.ts';

ruleTable(shadowedRule, {
  valid: [
    { code: table('filter', '-A INPUT -s 10.1.2.3 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP') },
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j DROP\n-A INPUT -p udp --dport 22 -j ACCEPT'), name: 'other protocol' },
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -m limit --limit 1/s -j DROP\n-A INPUT -s 10.1.2.3 -j ACCEPT'), name: 'a match we cannot compare' },
    { code: table('filter', '-A INPUT -i eth+ -j DROP\n-A INPUT -i wlan0 -j ACCEPT') },
    { code: table('filter', '-A FORWARD -d 192.168.1.10 -p tcp --dport 22 -j DROP\n-A FORWARD -d 192.168.1.11 -p tcp --dport 22 -j ACCEPT\n-A FORWARD -d 192.168.1.10 -p tcp --dport 23 -j ACCEPT\n-A FORWARD -p tcp --dport 22 -j ACCEPT'), name: 'other hosts, other ports, a wider rule after narrower ones' },
    { code: 'if [ "$BLOCK_LAN" = yes ]; then\n  iptables -A INPUT -s 10.0.0.0/8 -j DROP\nfi\niptables -A INPUT -s 10.1.2.3 -j ACCEPT\n', dialect: 'script', name: 'the earlier rule is added under a shell condition' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -j DROP\n«-A INPUT -s 10.1.2.3 -j ACCEPT»') },
    { code: table('filter', '-A INPUT -p tcp --dport 1:1024 -j REJECT\n«-A INPUT -p tcp -s 192.0.2.1 --dport 22 -j ACCEPT»') },
    { code: table('filter', '-A INPUT -i eth+ -j DROP\n«-A INPUT -i eth1 -p tcp -j ACCEPT»'), name: 'interface wildcard' },
    { code: table('filter', '-A INPUT -m conntrack --ctstate NEW,INVALID -j DROP\n«-A INPUT -m state --state INVALID -j ACCEPT»'), name: 'conntrack states' },
    { code: table('filter', '-A FORWARD -d 192.168.1.10 -p tcp --dport 22 -j DROP\n-A FORWARD -d 192.168.1.11 -j ACCEPT\n«-A FORWARD -d 192.168.1.10/32 -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT»'), name: 'the same host and port written another way' },
    { code: table('filter', '-A FORWARD -d 192.168.1.0/24 -p tcp -m multiport --dports 22,80 -j DROP\n«-A FORWARD -d 192.168.1.10 -p tcp --dport 80 -j ACCEPT»'), name: 'a network and a port list over one host and port' },
    { code: 'iptables -A INPUT -s 10.0.0.0/8 -j DROP\nif [ -n "$ADMIN" ]; then\n  «iptables -A INPUT -s 10.1.2.3 -j ACCEPT»\nfi\n', dialect: 'script', name: 'the later rule under a condition is still hidden when added' },
    { code: 'if [ -n "$BLOCK" ]; then\n  iptables -A INPUT -s 10.0.0.0/8 -j DROP\n  «iptables -A INPUT -s 10.1.2.3 -j ACCEPT»\nfi\n', dialect: 'script', name: 'both under the same condition' },
  ],
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { commandFails } from './command-fails.ts';

const script = { dialect: 'script' as const };

ruleTable(commandFails, {
  valid: [
    { ...script, code: 'iptables -N blocklist\niptables -A blocklist -j DROP\niptables -A INPUT -j blocklist\niptables -D INPUT -j blocklist\niptables -F blocklist\niptables -X blocklist\n', name: 'jump deleted, chain flushed, then deleted' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\niptables -A INPUT -j a\niptables -F\niptables -X\n', name: '-F then -X at the top of a script' },
    { ...script, code: 'iptables -X\niptables -F\n', name: 'chains from before the script are not known' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\nif [ "$1" = stop ]; then\n  iptables -F a\nfi\niptables -X a\n', name: 'a flush under a condition may have emptied it' },
    { ...script, code: 'iptables -N a\nif [ -n "$BLOCK" ]; then\n  iptables -A a -j DROP\nfi\niptables -X a\n', name: 'a rule added under a condition may not be there' },
    { ...script, code: 'iptables -N a\niptables -A a -s $ADMIN -j ACCEPT\niptables -X a\n', name: 'a rule with an expansion may have failed' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\niptables -F $CHAIN\niptables -X a\n', name: 'a flush of a chain given by an expansion' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\niptables-restore < /etc/iptables/rules.v4\niptables -X a\n', name: 'an iptables-restore of a file' },
    { ...script, code: 'iptables -N a\niptables -A a -p tcp --dport 22 -j ACCEPT\niptables -D a -p tcp -m tcp --dport ssh -j ACCEPT\niptables -X a\n', name: 'a delete written another way' },
    { ...script, code: 'iptables -I INPUT 5 -j ACCEPT\niptables -D INPUT 3\n', name: 'built-in chains may hold rules from before' },
    { ...script, code: 'iptables -N a\niptables -I a 3 -j ACCEPT\n', name: 'a chain -N made may have existed' },
    { ...script, code: 'iptables -X\niptables -N z\niptables -I z 3 -j DROP\n', name: '-X without -F before it: a chain from before may have kept its rules' },
    { ...script, code: 'iptables -F\niptables -X\nif [ -n "$Z" ]; then\n  iptables -N z\nfi\niptables -I z 3 -j DROP\n', name: 'made under a condition' },
    { code: table('filter', ':a - [0:0]\n-A a -j DROP\n-I a 2 -j ACCEPT\n-D a 1\n-I INPUT 9 -j a'), name: 'a user chain the file empties; INPUT of a file that may be loaded with --noflush' },
    { code: table('filter', ':a - [0:0]\n-X a') },
    { code: table('filter', ':a - [0:0]\n-A a -s 192.0.2.1,192.0.2.2 -d 198.51.100.1,198.51.100.2 -j DROP\n-D a 4\n-R a 3 -j ACCEPT\n-I a 4 -j ACCEPT'), name: 'address lists are one kernel rule per address pair' },
    { ...script, code: 'start() {\n  iptables -N a\n  iptables -A a -j DROP\n}\nstop() {\n  iptables -X a\n}\ncase "$1" in start) start ;; stop) stop ;; esac\n', name: 'functions the script picks at run time, the other way round' },
    { code: table('filter', ':a - [0:0]\n-A a -m limit --limit 5/min -j LOG\n-D a -m limit --limit 5/min --limit-burst 5 -j LOG --log-level 4\n-A a -p tcp --dport 22 -j ACCEPT\n-D a -p 6 -m tcp --dport ssh -j ACCEPT'), name: '-D of a rule written with other words or its defaults' },
    { code: table('filter', ':a - [0:0]\n-A a -p tcp -m comment --comment x --dport 22 -j ACCEPT\n-D a -p tcp -m comment --comment x -m tcp --dport 22 -j ACCEPT\n-A a -p udp --dport 53 -m comment --comment y -j ACCEPT\n-D a -p udp -m udp --dport 53 -m comment --comment y -j ACCEPT'), name: '-D loading the matches in the order the rule did (an implicit protocol match at its first option)' },
    { code: table('filter', ':a - [0:0]\n-A a -m mark --mark 8 -j ACCEPT\n-D a -m mark --mark 010 -j ACCEPT\n-A a -m mark --mark 0x10/0xf0 -j ACCEPT\n-D a -m mark --mark 16/240 -j ACCEPT\n-A a -m connmark --mark 1 -j ACCEPT\n-D a -m connmark --mark 0x1/0xffffffff -j ACCEPT'), name: 'marks written another way (octal, decimal, the full mask)' },
    { code: table('filter', ':a - [0:0]\n-A a -m limit --limit 1/s -j ACCEPT\n-D a -m limit --limit 60/min -j ACCEPT\n-A a -m limit --limit 7 -j ACCEPT\n-D a -m limit --limit 7/second -j ACCEPT\n-A a -m iprange --dst-range 10.0.0.7 -j ACCEPT\n-D a -m iprange --dst-range 10.0.0.7-10.0.0.7 -j ACCEPT'), name: 'rates and address ranges written another way' },
    { code: table('filter', ':a - [0:0]\n-A a -m limit --limit 5/min -j LOG\n-D a -m limit --limit 5/minute -j LOG'), name: 'values of a type not compared' },
    { code: table('filter', ':a - [0:0]\n-A a -m state --state ESTABLISHED,RELATED -j ACCEPT\n-D a -m state --state related,established -j ACCEPT\n-A a -p tcp -m multiport --dports 22,80 -j ACCEPT\n-D a -p tcp -m multiport --dports ssh,http -j ACCEPT\n-A a -p tcp --dport 1000: -j ACCEPT\n-D a -p tcp --dport 1000:65535 -j ACCEPT\n-A a -p udp --dport 53 -j ACCEPT\n-D a -p udp --dport 53:53 -j ACCEPT\n-A a -p udp --sport 60:50 -j ACCEPT\n-D a -p udp --sport 60:50 -j ACCEPT\n-A a -m comment --comment "a b" -j ACCEPT\n-D a -m comment --comment "a b" -j ACCEPT'), name: 'option values written another way that iptables stores alike' },
    { ...script, code: 'iptables -F\niptables -D INPUT -j ACCEPT 2>/dev/null\niptables -D INPUT -j ACCEPT || true\niptables -D INPUT -j ACCEPT >/dev/null 2>&1\niptables -D INPUT -j ACCEPT &>/dev/null\niptables -D INPUT -j ACCEPT || echo none\n', name: 'a -D whose failure the script expects' },
    { ...script, code: 'iptables -F\nif iptables -D INPUT -j ACCEPT; then echo removed; fi\nwhile iptables -D INPUT -j DROP; do :; done\nif ! iptables -D INPUT -p tcp -j ACCEPT; then echo none; fi\nif true; then :; elif iptables -D INPUT -p udp -j ACCEPT; then :; fi\n! iptables -D INPUT -p icmp -j ACCEPT\n', name: 'a -D that is the test of an if, a loop or a !' },
    { ...script, code: 'if [ "$1" = restart ]; then\n  iptables -F\nfi\niptables -D INPUT -j ACCEPT\niptables -I INPUT 3 -j DROP\n', name: 'a flush under a condition may not have run' },
    { code: table('filter', ':a - [0:0]\n-A a -s 192.0.2.0/24,198.51.100.0/24 -i eth+ -p ipv6-icmp -j DROP\n-D a -s 192.0.2.0/24 -i eth+ -p 58 -j DROP\n-A a -s gateway.example.org -j ACCEPT\n-D a -s 192.0.2.1 -j ACCEPT'), name: 'lists, wildcards and host names may be the rule' },
    { code: table('filter', ':a - [0:0]\n-A a -p all -s 0/0 -j RETURN\n-D a -j RETURN'), name: 'what is the same as no test' },
    { code: table('filter', '-D INPUT -j ACCEPT'), name: 'built-in chains keep rules from before a --noflush restore' },
    { ...script, code: 'iptables -N a\niptables -D a -j ACCEPT\n', name: '-D in a chain that may have existed before' },
    { ...script, code: 'iptables -F\niptables -X\niptables -N z\niptables -A z -j $VERDICT\niptables -D z -j ACCEPT\n', name: '-D where a rule of the chain has an expansion' },
    { ...script, code: 'iptables -F\niptables -X\niptables -N z\niptables -D z -j $VERDICT\n', name: '-D of a rule with an expansion' },
    { ...script, code: 'stop() {\n  iptables -X a\n}\nstart() {\n  iptables -N a\n  iptables -A a -j DROP\n}\ncase "$1" in start) start ;; stop) stop ;; esac\n', name: 'functions the script picks at run time' },
    { code: table('filter', ':a - [0:0]\n-A a -j LOG --log-prefix "fw: " --log-level warning\n-D a -j LOG --log-prefix "fw: " --log-level 4\n-A a -j LOG --log-prefix "aaaaaaaaaabbbbbbbbbbccccccccc-one"\n-D a -j LOG --log-prefix "aaaaaaaaaabbbbbbbbbbccccccccc-two"\n-A a -p tcp -j REJECT --reject-with tcp-reset\n-D a -p tcp -j REJECT --reject-with TCP-RST\n-A a -j REJECT --reject-with icmp-port-unreachable\n-D a -j REJECT --reject-with port-unreach'), name: 'target options written another way: a level by name, a prefix past 29 characters, a short reject type' },
    { code: table('nat', ':a - [0:0]\n-A a -p tcp -j DNAT --to-destination 10.0.0.5:8080\n-D a -p tcp -j DNAT --to-destination 10.0.0.5-10.0.0.5:8080-8080\n-A a -p tcp -j REDIRECT --to-ports 8082\n-D a -p tcp -j REDIRECT --to-ports 8082-8082\n-A a -j SNAT --to-source 192.0.2.1\n-D a -j SNAT --to-source 192.0.2.1-192.0.2.1\n-A a -j DNAT --to-destination [2001:db8::1]:80\n-D a -j DNAT --to-destination [2001:db8::2]:80'), name: 'NAT addresses and ports as ranges (IPv6 not read here)' },
    { code: table('mangle', ':a - [0:0]\n-A a -j MARK --set-mark 0x10/0x0f\n-D a -j MARK --set-mark 16/0x1f\n-A a -j CONNMARK --set-mark 1\n-D a -j CONNMARK --set-mark 0x1/0xffffffff'), name: "--set-mark's mask takes the value's bits" },
    { code: table('filter', ':a - [0:0]\n-A a -m hashlimit --hashlimit-upto 5/min --hashlimit-name h -j ACCEPT\n-D a -m hashlimit --hashlimit-upto 5/minute --hashlimit-name h -j ACCEPT\n-A a -m hashlimit --hashlimit-upto 60/min --hashlimit-name h --hashlimit-htable-expire 60000 -j ACCEPT\n-D a -m hashlimit --hashlimit-upto 1/sec --hashlimit-name h --hashlimit-htable-expire 60000 -j ACCEPT\n-A a -m hashlimit --hashlimit-upto 3/min --hashlimit-name e -j ACCEPT\n-D a -m hashlimit --hashlimit-upto 3/min --hashlimit-name e --hashlimit-htable-expire 60000 -j ACCEPT\n-A a -m hashlimit --hashlimit-upto 100kb/s --hashlimit-name b -j ACCEPT\n-D a -m hashlimit --hashlimit-upto 102400b/s --hashlimit-name b -j ACCEPT'), name: 'hashlimit rates alike: the unit spelt out, the expiry given, bytes not read here' },
    { ...script, code: 'ip6tables -F\nip6tables -A INPUT -p tcp -j REJECT --reject-with port-unreach\nip6tables -D INPUT -p tcp -j REJECT --reject-with icmp6-port-unreachable\n', name: "ip6tables' short reject type is its own family's" },
    { code: table('filter', ':a - [0:0]\n-A a -m conntrack --ctorigdst 10.1.1.1 -j ACCEPT\n-D a -m conntrack --ctorigdst 10.1.1.1/32 -j ACCEPT\n-A a -m conntrack --ctorigsrc gateway.example.org -j ACCEPT\n-D a -m conntrack --ctorigsrc 192.0.2.1 -j ACCEPT'), name: 'a conntrack address written another way, or a host name, is left alone' },
    // the -A before the -N fails (undefined-chain's finding): the chain the -N makes is empty, and deleted once nothing jumps to it
    { ...script, code: 'iptables -F\niptables -X\niptables -A LOGDROP -j DROP\niptables -N LOGDROP\niptables -A INPUT -j LOGDROP\niptables -D INPUT -j LOGDROP\niptables -X LOGDROP\n', name: 'a chain made after rules were refused for it' },
  ],
  invalid: [
    // measured: iptables-nft-restore 1.8.9 crashes (segmentation fault) committing these; legacy loads them
    { code: table('filter', ':a - [0:0]\n-A a -j DROP\n-I a 2 -j ACCEPT\n-R a «2» -j DROP\n-D a 1'), name: '-R of a rule the file added, in a user chain' },
    { code: table('filter', ':FORWARD DROP [0:0]\n-A FORWARD -p tcp -j ACCEPT\n-R FORWARD «1» -p icmp -j DROP'), fileName: 'rules.v4', name: '-R of a rule rules.v4 added, in a built-in chain' },
    // a -R of a rule an earlier input loaded (its own transaction) works: only the first here-document's is reported
    { ...script, code: 'iptables-restore <<EOF\n*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -j ACCEPT\n-R FORWARD «1» -j DROP\nCOMMIT\nEOF\niptables-restore -n <<EOF\n*filter\n-R FORWARD 1 -j ACCEPT\nCOMMIT\nEOF\n', name: '-R in a here-document of a rule it added' },
    // rules.v4 is loaded without --noflush at boot: INPUT holds the file's rules only (iptables-restore --test takes these; the load fails)
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n-I INPUT «3» -j DROP\n-D INPUT «2»'), fileName: 'rules.v4', name: 'rule numbers past the end of a built-in chain of rules.v4' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n«-D INPUT -p icmp -j ACCEPT»'), fileName: 'etc/iptables/rules.v4', name: '-D of a rule rules.v4 never added' },
    // the jump to NOPE is refused (undefined-chain's finding), so INPUT holds one rule
    { ...script, code: 'iptables -F\niptables -X\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -j NOPE\niptables -D INPUT «2»\n', name: 'a rule number counted without a refused rule' },
    { ...script, code: 'iptables -N blocklist\niptables -A blocklist -s 203.0.113.0/24 -j DROP\niptables -A INPUT -j blocklist\niptables -F blocklist\niptables -X «blocklist»\n', name: 'still jumped to' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\niptables -X «a»\n', name: 'still has rules' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\niptables -N b\n«iptables -X»\n', name: '-X without a name deletes none of them' },
    { ...script, code: 'iptables -t nat -N a\niptables -t nat -A PREROUTING -j a\niptables -t nat -F a\niptables -t nat -F POSTROUTING\niptables -t nat -X «a»\n', name: 'in the nat table' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\nif [ "$1" = stop ]; then\n  iptables -X «a»\nfi\n', name: 'a delete under a condition fails whenever it runs' },
    { code: table('filter', ':a - [0:0]\n-A a -j DROP\n-I a «3» -j ACCEPT\n-R a «2» -j DROP\n-D a «2»\n-X «a»') },
    { ...script, code: 'iptables -F\niptables -X\niptables -N z\niptables -A z -j RETURN\niptables -I z «3» -j DROP\niptables -D z «2»\n', name: 'a chain made after -F and -X cleared the table' },
    { ...script, code: 'iptables-restore -n <<EOF\n*filter\n:a - [0:0]\n-A a -j DROP\nCOMMIT\nEOF\niptables -I a «3» -j ACCEPT\n', name: 'a chain a restore input declared' },
    { code: table('filter', ':a - [0:0]\n-A a -j DROP\n«-D a -j ACCEPT»\n-D a -j DROP\n«-D a -j DROP»\n«-D a -g b»'), name: '-D of a rule the chain does not hold' },
    // ip6tables-nft 1.8.9 finds the rule by the network's address, not its mask: the /56 and
    // the /128 delete the /48 (the last one deleted nothing left: the /40 and /64 were refused)
    { code: table('filter', ':a - [0:0]\n-A a -s 2001:db8:1::/48 -j ACCEPT\n«-D a -s 2001:db8:2::/48 -j ACCEPT»\n«-D a -s 2001:db8:1::/40 -j ACCEPT»\n«-D a -s 2001:db8:1:5::/64 -j ACCEPT»\n-D a -s 2001:DB8:1:0::/56 -j ACCEPT'), family: 'ipv6', name: 'IPv6: another network; the same address with another mask deletes it' },
    { code: table('filter', ':a - [0:0]\n-A a -p udp --dport 53 -s 10.0.0.0/8 -i eth0 -j ACCEPT\n«-D a -p tcp --dport 53 -s 10.0.0.0/8 -i eth0 -j ACCEPT»\n«-D a -p udp --dport 53 -s 10.0.0.0/16 -i eth0 -j ACCEPT»\n«-D a -p udp --dport 53 -s 10.0.0.0/8 ! -i eth0 -j ACCEPT»\n«-D a -p udp --dport 53 -s 10.0.0.0/8 -i eth0 -o eth1 -j ACCEPT»\n-D a -p 17 --dport domain -s 10.1/8 -i eth0 -j ACCEPT'), name: 'another protocol, network or interface' },
    { ...script, code: 'iptables -F\niptables -X\niptables -N z\n«iptables -D z -p tcp --dport 22 -j ACCEPT»\n', name: '-D in an empty chain a script made' },
    { ...script, code: 'iptables -N a\niptables -A a -j DROP\niptables -D INPUT -p tcp --dport 22 -j ACCEPT\niptables -X «a»\n', name: 'a -D no known rule matches leaves the rules with other targets known' },
    { code: table('filter', ':a - [0:0]\n-A a -s 192.0.2.1 -p tcp -j DROP\n«-D a -s 192.0.2.1 -p tcp --dport 22 -j DROP»\n-A a -m comment --comment x -j DROP\n«-D a -j DROP»\n-A a -p tcp -m tcp -j ACCEPT\n«-D a -p tcp -j ACCEPT»\n-A a -m state --state NEW -j ACCEPT\n«-D a -m conntrack --ctstate NEW -j ACCEPT»'), name: 'a match the rule lacks, or one it has that the -D leaves out' },
    { code: table('filter', ':a - [0:0]\n-A a -p tcp -m comment --comment x --dport 22 -j ACCEPT\n«-D a -p tcp -m tcp --dport 22 -m comment --comment x -j ACCEPT»\n-A a -m conntrack --ctstate NEW -m limit --limit 5/min -j LOG\n«-D a -m limit --limit 5/min -m conntrack --ctstate NEW -j LOG»\n-A a -p tcp -m comment --comment ssh --dport 22 -j ACCEPT\n«-D a -p tcp --dport 22 -m comment --comment ssh -j ACCEPT»'), name: 'the matches in another order (an implicit protocol match too)' },
    { code: table('filter', ':a - [0:0]\n-A a -m mark --mark 0x10/0xf0 -j ACCEPT\n«-D a -m mark --mark 0x10/0xff -j ACCEPT»\n«-D a -m mark --mark 0x11/0xf0 -j ACCEPT»\n«-D a -m mark ! --mark 0x10/0xf0 -j ACCEPT»'), name: 'another mark, mask or negation' },
    { code: table('filter', ':a - [0:0]\n-A a -m limit --limit 2/s -j ACCEPT\n«-D a -m limit --limit 3/s -j ACCEPT»\n-A a -m limit --limit 7 -j ACCEPT\n«-D a -m limit --limit 7/hour -j ACCEPT»\n-A a -m iprange --src-range 10.0.0.1-10.0.0.5 -j ACCEPT\n«-D a -m iprange --src-range 10.0.0.1-10.0.0.6 -j ACCEPT»'), name: 'another rate (a number alone is per second) or range' },
    { code: table('filter', ':a - [0:0]\n-A a -p tcp --dport 22 -m comment --comment ssh -j ACCEPT\n«-D a -p tcp --dport 23 -m comment --comment ssh -j ACCEPT»\n«-D a -p tcp --dport 21:23 -m comment --comment ssh -j ACCEPT»\n«-D a -p tcp ! --dport 22 -m comment --comment ssh -j ACCEPT»\n«-D a -p tcp --dport 22 -m comment --comment other -j ACCEPT»\n-A a -p tcp -m multiport --dports 22,80 -j ACCEPT\n«-D a -p tcp -m multiport --dports 80,22 -j ACCEPT»\n-A a -m conntrack --ctstate ESTABLISHED -j ACCEPT\n«-D a -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT»'), name: 'another port, range, negation, comment, port order or set of states' },
    { ...script, code: 'iptables -F\n«iptables -D INPUT -j ACCEPT»\niptables -A INPUT -j DROP\niptables -I INPUT «3» -j ACCEPT\niptables -t nat -F PREROUTING\n«iptables -t nat -D PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5»\n', name: 'built-in chains a flush emptied' },
    { ...script, code: 'iptables -F\n«iptables -D INPUT -j ACCEPT» || exit 1\n«iptables -D INPUT -j ACCEPT 2>&1 >/dev/null»\nif true; then\n  «iptables -D INPUT -p tcp -j ACCEPT»\nelse\n  «iptables -D INPUT -p udp -j ACCEPT»\nfi\n', name: 'a -D whose failure stops the script or shows, in the branches of an if too' },
    { code: table('filter', ':a - [0:0]\n-A a -j LOG --log-prefix "fw: " --log-level warning\n«-D a -j LOG --log-prefix "fw:" --log-level warning»\n«-D a -j LOG --log-prefix "fw: " --log-level info»\n-A a -p tcp -j REJECT --reject-with tcp-reset\n«-D a -p tcp -j REJECT --reject-with icmp-host-prohibited»'), name: 'another log prefix, log level or reject type' },
    { code: table('nat', ':a - [0:0]\n-A a -p tcp -j DNAT --to-destination 10.0.0.5:8080\n«-D a -p tcp -j DNAT --to-destination 10.0.0.5»\n«-D a -p tcp -j DNAT --to-destination 10.0.0.6:8080»\n«-D a -p tcp -j DNAT --to-destination 10.0.0.5:8081»\n-A a -p tcp -j MASQUERADE --to-ports 1024-2048\n«-D a -p tcp -j MASQUERADE --to-ports 1024-2049»\n-A a -j SNAT --to-source 192.0.2.1\n«-D a -j SNAT --to-source 192.0.2.2»'), name: 'another NAT address, port or none' },
    { code: table('mangle', ':a - [0:0]\n-A a -j MARK --set-mark 0x10/0x0f\n«-D a -j MARK --set-mark 0x11/0x0f»\n:b - [0:0]\n-A b -j MARK --set-xmark 0x10/0x0f\n«-D b -j MARK --set-xmark 0x10/0x1f»'), name: 'another mark set' },
    { code: table('filter', ':a - [0:0]\n-A a -m hashlimit --hashlimit-upto 60/min --hashlimit-name h -j ACCEPT\n«-D a -m hashlimit --hashlimit-upto 1/sec --hashlimit-name h -j ACCEPT»\n«-D a -m hashlimit --hashlimit-upto 61/min --hashlimit-name h -j ACCEPT»'), name: 'another hashlimit rate, or the same in another unit' },
    { ...script, code: 'ip6tables -F\nip6tables -A INPUT -p tcp -j REJECT --reject-with port-unreach\n«ip6tables -D INPUT -p tcp -j REJECT --reject-with icmp6-adm-prohibited»\n', name: 'another ip6tables reject type' },
    { code: table('filter', ':a - [0:0]\n-A a -m conntrack --ctorigsrc 10.0.0.0/24 -j ACCEPT\n«-D a -m conntrack --ctorigsrc 10.0.0.0/25 -j ACCEPT»\n«-D a -m conntrack ! --ctorigsrc 10.0.0.0/24 -j ACCEPT»\n«-D a -m conntrack --ctorigsrc 10.0.1.0/24 -j ACCEPT»'), name: 'another conntrack address, or the same negated' },
  ],
});

const fixed = (text: string, dialect: 'save' | 'script' = 'script') => fixFirst(commandFails, text, { dialect });

test('command-fails fix: flush first, with the command\'s tool word, table and indentation', () => {
  const r = fixed('IPT=/sbin/iptables\n$IPT -t nat -N a\n$IPT -t nat -A a -j RETURN\nif true; then\n  $IPT -t nat -X a\nfi\n');
  assert.equal(r.left, 0);
  assert.match(r.text, /\n {2}\$IPT -t nat -F a\n {2}\$IPT -t nat -X a\n/);
  const all = fixed('iptables -N a\niptables -A a -j DROP\niptables -X\n');
  assert.equal(all.left, 0);
  assert.match(all.text, /\niptables -F\niptables -X\n$/);
  // every word that runs iptables, not the first one alone
  const sudo = fixed('sudo /sbin/iptables -N a\nsudo /sbin/iptables -A a -j DROP\nsudo /sbin/iptables -X a\n');
  assert.equal(sudo.left, 0);
  assert.match(sudo.text, /\nsudo \/sbin\/iptables -F a\nsudo \/sbin\/iptables -X a\n$/);
});

test('command-fails fix: delete the jump first, written as the -A that added it', () => {
  const r = fixed('iptables -N a\niptables -A FORWARD -i eth0 -j a\niptables -X a\n');
  assert.equal(r.left, 0);
  assert.match(r.text, /\niptables -D FORWARD -i eth0 -j a\niptables -X a\n$/);
});

test('command-fails fix: in a restore file, a -F line', () => {
  const r = fixed(table('filter', ':a - [0:0]\n-A a -j DROP\n-X a'), 'save');
  assert.equal(r.left, 0);
  assert.match(r.text, /\n-F a\n-X a\n/);
});

test('command-fails fix: an insert past the end becomes an append', () => {
  const r = fixed('iptables -F\niptables -X\niptables -N z\niptables -I z 2 -j DROP\n');
  assert.equal(r.left, 0);
  assert.match(r.text, /\niptables -A z -j DROP\n$/);
});

import assert from 'node:assert/strict';
import { lintText } from '../../../server/src/core/facade.ts';
import { test } from 'node:test';
import { getMatch, getTarget } from '../../../server/src/core/knowledge/index.ts';
import type { ArgSpec, Family } from '../../../server/src/core/knowledge/types.ts';
import { checkValue } from '../../../server/src/core/knowledge/values/index.ts';
import { requirement } from '../../support/paths.ts';
import { realIptablesMissing, runRestoreCases } from './realIptables.ts';

/**
 * Our value checkers against the real iptables-restore --test of this machine (1.8.9),
 * run inside a throwaway network namespace. A value we call an error must make the tool
 * fail, a value we accept (or only warn about) must load.
 *
 * Each case: family, table, the rule with `{}` where the value goes, the extension
 * (`-m`/`-j` name, or '' for iptables(8) itself), the option, the value.
 */
type Case = [fam: '4' | '6', table: string, rule: string, ext: string, option: string, value: string];

const cases: Case[] = [
  // addresses, masks, families
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.0/8'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.0/33'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.0/255.255.0.0'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.256'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.1/08'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.1/'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '2001:db8::1'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.1,10.0.0.2/24'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.1,,10.0.0.2'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.1-10.0.0.5'],
  ['4', 'filter', '-A INPUT -d {} -j ACCEPT', '', '-d', '10'],
  ['6', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '2001:db8::/129'],
  ['6', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '2001:db8::/64'],
  ['6', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.0.1'],
  ['6', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '2001:db8:::1'],
  ['6', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', 'fe80::1%eth0'],
  ['6', 'filter', '-A INPUT -d {} -j ACCEPT', '', '-d', '::ffff:10.0.0.1'],
  ['4', 'filter', '-A INPUT -m iprange --src-range {} -j ACCEPT', 'iprange', '--src-range', '10.0.0.1-10.0.0.9'],
  ['4', 'filter', '-A INPUT -m iprange --src-range {} -j ACCEPT', 'iprange', '--src-range', '10.0.0.0/24'],
  ['6', 'filter', '-A INPUT -m iprange --dst-range {} -j ACCEPT', 'iprange', '--dst-range', '2001:db8::1-2001:db8::9'],
  ['4', 'filter', '-A INPUT -m mac --mac-source {} -j ACCEPT', 'mac', '--mac-source', '00:11:22:33:44:55'],
  ['4', 'filter', '-A INPUT -m mac --mac-source {} -j ACCEPT', 'mac', '--mac-source', '00-11-22-33-44-55'],
  ['4', 'filter', '-A INPUT -m recent --rcheck --mask {} -j ACCEPT', 'recent', '--mask', '255.255.255.0'],
  ['4', 'filter', '-A INPUT -m recent --rcheck --mask {} -j ACCEPT', 'recent', '--mask', '24'],
  ['6', 'filter', '-A INPUT -m recent --rcheck --mask {} -j ACCEPT', 'recent', '--mask', '64'],
  ['6', 'filter', '-A INPUT -m recent --rcheck --mask {} -j ACCEPT', 'recent', '--mask', 'ffff:ffff:ffff:ffff::'],
  ['4', 'filter', '-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask {} -j DROP', 'connlimit', '--connlimit-mask', '33'],
  ['4', 'filter', '-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask {} -j DROP', 'connlimit', '--connlimit-mask', '255.255.255.0'],
  ['4', 'filter', '-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask {} -j DROP', 'connlimit', '--connlimit-mask', '4294967296'],
  ['6', 'filter', '-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask {} -j DROP', 'connlimit', '--connlimit-mask', '129'],
  ['6', 'filter', '-A INPUT -m connlimit --connlimit-above 2 --connlimit-mask {} -j DROP', 'connlimit', '--connlimit-mask', '0x40'],
  // interfaces
  ['4', 'filter', '-A INPUT -i {} -j ACCEPT', '', '-i', 'eth0'],
  ['4', 'filter', '-A INPUT -i {} -j ACCEPT', '', '-i', 'wg+'],
  ['4', 'filter', '-A INPUT -i {} -j ACCEPT', '', '-i', '1234567890123456'],
  ['4', 'filter', '-A FORWARD -m physdev --physdev-in {} -j ACCEPT', 'physdev', '--physdev-in', 'veth1234567890ab'],
  // protocols
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'gre'],
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'TCP'],
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', '255'],
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', '256'],
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'ospfigp'],
  ['6', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'icmp6'],
  // the other family's ICMP loads (a warning: the rule never matches); iptables knows no icmp6
  ['6', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'icmp'],
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'ipv6-icmp'],
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'icmpv6'],
  ['4', 'filter', '-A INPUT -p {} -j ACCEPT', '', '-p', 'icmp6'],
  ['4', 'filter', '-A INPUT -m conntrack --ctproto {} -j ACCEPT', 'conntrack', '--ctproto', 'foo'],
  // ports
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', '0'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', '65536'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', '2000:1000'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', ':1023'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', 'http:https'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', 'ntp'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', 'HTTP'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', '1-2'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', '0x16'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', '08'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', 'ntp'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', 'ssh'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', 'nosuchservice'],
  // udp, dccp, conntrack and TPROXY read numbers through the resolver: decimal only, a number
  // past 65535 loads as its low 16 bits (a warning), one whose low 32 bits are negative fails
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '70000'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '65536'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '0x10'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '010'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '2147483648'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '4294967296'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '10:0x20'],
  ['4', 'filter', '-A INPUT -p dccp --dport {} -j ACCEPT', 'dccp', '--dport', '65537'],
  ['4', 'filter', '-A INPUT -m conntrack --ctorigdstport {} -j ACCEPT', 'conntrack', '--ctorigdstport', '0x10'],
  ['4', 'filter', '-A INPUT -m conntrack --ctorigdstport {} -j ACCEPT', 'conntrack', '--ctorigdstport', '65536'],
  ['4', 'mangle', '-A PREROUTING -p tcp -j TPROXY --on-port {} --tproxy-mark 1', 'TPROXY', '--on-port', '0x10'],
  ['4', 'mangle', '-A PREROUTING -p tcp -j TPROXY --on-port {} --tproxy-mark 1', 'TPROXY', '--on-port', '65536'],
  ['4', 'filter', '-A INPUT -p tcp --dport {} -j ACCEPT', 'tcp', '--dport', '010'],
  ['4', 'filter', '-A INPUT -p sctp --dport {} -j ACCEPT', 'sctp', '--dport', 'ssh'],
  ['4', 'filter', '-A INPUT -p sctp --dport {} -j ACCEPT', 'sctp', '--dport', '2000:1000'],
  ['4', 'filter', '-A INPUT -p tcp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15'],
  ['4', 'filter', '-A INPUT -p tcp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16'],
  ['4', 'filter', '-A INPUT -p tcp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', '1:2,3:4,5:6,7:8,9:10,11:12,13:14,15'],
  ['4', 'filter', '-A INPUT -p tcp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', '1:2,3:4,5:6,7:8,9:10,11:12,13:14,15:16'],
  ['4', 'filter', '-A INPUT -p tcp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', '5:1'],
  ['4', 'filter', '-A INPUT -p tcp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', '1024:'],
  ['4', 'filter', '-A INPUT -p udp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', 'ssh'],
  ['4', 'filter', '-A INPUT -p tcp -m multiport --dports {} -j ACCEPT', 'multiport', '--dports', 'http,https'],
  ['4', 'filter', '-A INPUT -m conntrack --ctorigdstport {} -j ACCEPT', 'conntrack', '--ctorigdstport', 'ntp'],
  ['4', 'nat', '-A PREROUTING -p tcp -j REDIRECT --to-ports {}', 'REDIRECT', '--to-ports', '8000-8010'],
  ['4', 'nat', '-A PREROUTING -p tcp -j REDIRECT --to-ports {}', 'REDIRECT', '--to-ports', '8000:8010'],
  ['4', 'nat', '-A PREROUTING -p tcp -j REDIRECT --to-ports {}', 'REDIRECT', '--to-ports', '10-5'],
  ['4', 'nat', '-A PREROUTING -p tcp -j REDIRECT --to-ports {}', 'REDIRECT', '--to-ports', 'ftp-data'],
  // NAT destinations
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '192.168.1.10:8080'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '192.168.1.10-192.168.1.20'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', ':8080'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '1.2.3.4:80-70'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '1.2.3.4:80-90/100'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '1.2.3.4:80/100'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '1.2.3.4/24'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', 'host.example'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '1.2.3'],
  ['4', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '2001:db8::1'],
  ['6', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '[2001:db8::1]:80'],
  ['6', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '[2001:db8::1-2001:db8::5]:80'],
  ['6', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '[2001:db8::1]-[2001:db8::5]:80'],
  ['6', 'nat', '-A PREROUTING -p tcp -j DNAT --to-destination {}', 'DNAT', '--to-destination', '1.2.3.4'],
  ['4', 'nat', '-A POSTROUTING -p udp -j SNAT --to-source {}', 'SNAT', '--to-source', '203.0.113.5:1024-65535'],
  // conntrack and state
  ['4', 'filter', '-A INPUT -m conntrack --ctstate {} -j ACCEPT', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED'],
  ['4', 'filter', '-A INPUT -m conntrack --ctstate {} -j ACCEPT', 'conntrack', '--ctstate', 'new,established'],
  ['4', 'filter', '-A INPUT -m conntrack --ctstate {} -j ACCEPT', 'conntrack', '--ctstate', 'ESTABLISED'],
  ['4', 'filter', '-A INPUT -m conntrack --ctstate {} -j ACCEPT', 'conntrack', '--ctstate', 'NEW,'],
  ['4', 'filter', '-A INPUT -m state --state {} -j ACCEPT', 'state', '--state', 'SNAT'],
  ['4', 'filter', '-A INPUT -m conntrack --ctstatus {} -j ACCEPT', 'conntrack', '--ctstatus', 'assured,SEEN_REPLY'],
  ['4', 'filter', '-A INPUT -m conntrack --ctstatus {} -j ACCEPT', 'conntrack', '--ctstatus', 'ASURED'],
  ['4', 'filter', '-A INPUT -m conntrack --ctdir {} -j ACCEPT', 'conntrack', '--ctdir', 'reply'],
  ['4', 'filter', '-A INPUT -m conntrack --ctdir {} -j ACCEPT', 'conntrack', '--ctdir', 'both'],
  ['4', 'filter', '-A INPUT -m conntrack --ctexpire {} -j ACCEPT', 'conntrack', '--ctexpire', '4294967296'],
  ['4', 'raw', '-A PREROUTING -j CT --zone {}', 'CT', '--zone', '65536'],
  ['4', 'raw', '-A PREROUTING -j CT --zone-orig {}', 'CT', '--zone-orig', 'mark'],
  ['4', 'raw', '-A PREROUTING -j CT --ctevents {}', 'CT', '--ctevents', 'new,destroy'],
  ['4', 'raw', '-A PREROUTING -j CT --expevents {}', 'CT', '--expevents', 'destroy'],
  // TCP flags and options
  ['4', 'filter', '-A INPUT -p tcp --tcp-flags {} SYN -j ACCEPT', 'tcp', '--tcp-flags', 'SYN,ACK,FIN,RST'],
  ['4', 'filter', '-A INPUT -p tcp --tcp-flags {} SYN -j ACCEPT', 'tcp', '--tcp-flags', 'syn,ack'],
  ['4', 'filter', '-A INPUT -p tcp --tcp-flags {} SYN -j ACCEPT', 'tcp', '--tcp-flags', 'SYN,ECE'],
  ['4', 'filter', '-A INPUT -p tcp --tcp-flags {} SYN -j ACCEPT', 'tcp', '--tcp-flags', 'SYN,'],
  ['4', 'filter', '-A INPUT -p tcp --tcp-option {} -j ACCEPT', 'tcp', '--tcp-option', '0'],
  ['4', 'filter', '-A INPUT -p tcp --tcp-option {} -j ACCEPT', 'tcp', '--tcp-option', 'mss'],
  ['4', 'mangle', '-A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options {}', 'TCPOPTSTRIP', '--strip-options', 'sack-permitted,timestamp,30'],
  ['4', 'mangle', '-A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options {}', 'TCPOPTSTRIP', '--strip-options', '1'],
  ['4', 'mangle', '-A POSTROUTING -p tcp -j TCPOPTSTRIP --strip-options {}', 'TCPOPTSTRIP', '--strip-options', 'timestamps'],
  // ICMP
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', '8/0'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', '3/256'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', 'Echo-Request'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', 'frag'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', 'echo'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', 'echo-reqest'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', 'echo-request,echo-reply'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', 'any'],
  ['6', 'filter', '-A INPUT -p ipv6-icmp --icmpv6-type {} -j ACCEPT', 'icmp6', '--icmpv6-type', 'neighbor-solicitation'],
  ['6', 'filter', '-A INPUT -p ipv6-icmp --icmpv6-type {} -j ACCEPT', 'icmp6', '--icmpv6-type', 'any'],
  ['6', 'filter', '-A INPUT -p ipv6-icmp --icmpv6-type {} -j ACCEPT', 'icmp6', '--icmpv6-type', '1/0:3'],
  ['6', 'filter', '-A INPUT -p ipv6-icmp --icmpv6-type {} -j ACCEPT', 'icmp6', '--icmpv6-type', 'mld-listener-query'],
  ['6', 'filter', '-A INPUT -p mh --mh-type {} -j ACCEPT', 'mh', '--mh-type', 'home-test-init:home-test'],
  ['6', 'filter', '-A INPUT -p mh --mh-type {} -j ACCEPT', 'mh', '--mh-type', '256'],
  // marks
  ['4', 'filter', '-A INPUT -m mark --mark {} -j ACCEPT', 'mark', '--mark', '0x1/0xffffffff'],
  ['4', 'filter', '-A INPUT -m mark --mark {} -j ACCEPT', 'mark', '--mark', '0x1/0xffffffffff'],
  ['4', 'filter', '-A INPUT -m mark --mark {} -j ACCEPT', 'mark', '--mark', '4294967296'],
  ['4', 'filter', '-A INPUT -m mark --mark {} -j ACCEPT', 'mark', '--mark', '1/2/3'],
  ['4', 'filter', '-A INPUT -m connmark --mark {} -j ACCEPT', 'connmark', '--mark', '010'],
  ['4', 'mangle', '-A PREROUTING -j MARK --and-mark {}', 'MARK', '--and-mark', '0x1/0x1'],
  ['4', 'mangle', '-A PREROUTING -j MARK --or-mark {}', 'MARK', '--or-mark', '0x100'],
  ['4', 'filter', '-A INPUT -m devgroup --src-group {} -j ACCEPT', 'devgroup', '--src-group', '0x5/0xf'],
  // rates
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '5/sec'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '5/se'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '5/seconds'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '1/DAY'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '0/s'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '10001/s'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '600000/minute'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '5'],
  ['4', 'filter', '-A INPUT -m limit --limit-burst {} -j ACCEPT', 'limit', '--limit-burst', '10001'],
  ['4', 'filter', '-A INPUT -m hashlimit --hashlimit-name x --hashlimit-upto {} -j ACCEPT', 'hashlimit', '--hashlimit-upto', '512kb/s'],
  ['4', 'filter', '-A INPUT -m hashlimit --hashlimit-name x --hashlimit-upto {} -j ACCEPT', 'hashlimit', '--hashlimit-upto', '5gb/s'],
  ['4', 'filter', '-A INPUT -m hashlimit --hashlimit-name x --hashlimit-upto 5/s --hashlimit-mode {} -j ACCEPT', 'hashlimit', '--hashlimit-mode', 'srcip,foo'],
  ['4', 'filter', '-A INPUT -m hashlimit --hashlimit-name x --hashlimit-upto 5/s --hashlimit-rate-interval {} -j ACCEPT', 'hashlimit', '--hashlimit-rate-interval', '0'],
  ['4', 'filter', '-A INPUT -m statistic --mode random --probability {} -j ACCEPT', 'statistic', '--probability', '.5'],
  ['4', 'filter', '-A INPUT -m statistic --mode random --probability {} -j ACCEPT', 'statistic', '--probability', '1.5'],
  ['4', 'filter', '-A INPUT -j NFQUEUE --queue-balance {}', 'NFQUEUE', '--queue-balance', '5:5'],
  ['4', 'filter', '-A INPUT -j NFQUEUE --queue-balance {}', 'NFQUEUE', '--queue-balance', '0:3'],
  ['4', 'filter', '-A INPUT -j NFQUEUE --queue-num {}', 'NFQUEUE', '--queue-num', '65536'],
  ['4', 'filter', '-A INPUT -j RATEEST --rateest-name x --rateest-ewmalog 1s --rateest-interval {}', 'RATEEST', '--rateest-interval', '250ms'],
  ['4', 'filter', '-A INPUT -m rateest --rateest x --rateest-gt --rateest-bps {} -j ACCEPT', 'rateest', '--rateest-bps', '10foo'],
  // logging
  ['4', 'filter', '-A INPUT -j LOG --log-level {}', 'LOG', '--log-level', 'warning'],
  ['4', 'filter', '-A INPUT -j LOG --log-level {}', 'LOG', '--log-level', 'warn'],
  ['4', 'filter', '-A INPUT -j LOG --log-level {}', 'LOG', '--log-level', '8'],
  ['4', 'filter', '-A INPUT -j LOG --log-level {}', 'LOG', '--log-level', 'panic'],
  ['4', 'filter', '-A INPUT -j LOG --log-prefix {}', 'LOG', '--log-prefix', 'a-prefix-much-longer-than-twenty-nine-characters'],
  ['4', 'filter', '-A INPUT -j NFLOG --nflog-group {}', 'NFLOG', '--nflog-group', '65536'],
  ['4', 'filter', '-A INPUT -j REJECT --reject-with {}', 'REJECT', '--reject-with', 'icmp-admin-prohibited'],
  ['4', 'filter', '-A INPUT -j REJECT --reject-with {}', 'REJECT', '--reject-with', 'icmp6-port-unreachable'],
  ['4', 'filter', '-A INPUT -j REJECT --reject-with {}', 'REJECT', '--reject-with', 'tcp-rst'],
  ['6', 'filter', '-A INPUT -j REJECT --reject-with {}', 'REJECT', '--reject-with', 'tcp-rst'],
  ['6', 'filter', '-A INPUT -j REJECT --reject-with {}', 'REJECT', '--reject-with', 'icmp6-adm-prohibited'],
  ['6', 'filter', '-A INPUT -j REJECT --reject-with {}', 'REJECT', '--reject-with', 'icmp-port-unreachable'],
  // DSCP / TOS / TTL
  ['4', 'filter', '-A INPUT -m dscp --dscp {} -j ACCEPT', 'dscp', '--dscp', '0x3f'],
  ['4', 'filter', '-A INPUT -m dscp --dscp {} -j ACCEPT', 'dscp', '--dscp', '64'],
  ['4', 'filter', '-A INPUT -m dscp --dscp-class {} -j ACCEPT', 'dscp', '--dscp-class', 'af41'],
  ['4', 'filter', '-A INPUT -m dscp --dscp-class {} -j ACCEPT', 'dscp', '--dscp-class', 'AF44'],
  ['4', 'filter', '-A INPUT -m tos --tos {} -j ACCEPT', 'tos', '--tos', 'minimize-delay'],
  ['4', 'filter', '-A INPUT -m tos --tos {} -j ACCEPT', 'tos', '--tos', '0xff/0x1ff'],
  ['4', 'filter', '-A INPUT -m tos --tos {} -j ACCEPT', 'tos', '--tos', 'Minimize-Delay/0xff'],
  ['4', 'mangle', '-A PREROUTING -j TOS --and-tos {}', 'TOS', '--and-tos', '256'],
  ['4', 'filter', '-A INPUT -m ttl --ttl-eq {} -j ACCEPT', 'ttl', '--ttl-eq', '256'],
  ['4', 'mangle', '-A PREROUTING -j TTL --ttl-dec {}', 'TTL', '--ttl-dec', '0'],
  ['6', 'mangle', '-A PREROUTING -j HL --hl-set {}', 'HL', '--hl-set', '255'],
  ['4', 'filter', '-A INPUT -m length --length {} -j ACCEPT', 'length', '--length', '50-60'],
  ['4', 'filter', '-A INPUT -m length --length {} -j ACCEPT', 'length', '--length', '65536'],
  ['4', 'filter', '-A INPUT -p tcp -m tcpmss --mss {} -j ACCEPT', 'tcpmss', '--mss', '500:1'],
  ['4', 'filter', '-A INPUT -m connbytes --connbytes-dir both --connbytes-mode bytes --connbytes {} -j ACCEPT', 'connbytes', '--connbytes', '10:5'],
  ['4', 'filter', '-A INPUT -m quota --quota {} -j ACCEPT', 'quota', '--quota', '18446744073709551615'],
  ['4', 'filter', '-A INPUT -m quota --quota {} -j ACCEPT', 'quota', '--quota', '18446744073709551616'],
  ['4', 'filter', '-A INPUT -p tcp -m connlimit --connlimit-above 2 --connlimit-mask {} -j ACCEPT', 'connlimit', '--connlimit-mask', '24'],
  ['6', 'filter', '-A INPUT -p tcp -m connlimit --connlimit-above 2 --connlimit-mask {} -j ACCEPT', 'connlimit', '--connlimit-mask', '129'],
  // time
  ['4', 'filter', '-A INPUT -m time --timestart {} -j ACCEPT', 'time', '--timestart', '8:05'],
  ['4', 'filter', '-A INPUT -m time --timestart {} -j ACCEPT', 'time', '--timestart', '24:00'],
  ['4', 'filter', '-A INPUT -m time --timestart {} -j ACCEPT', 'time', '--timestart', '0800'],
  ['4', 'filter', '-A INPUT -m time --datestart {} -j ACCEPT', 'time', '--datestart', '2024-12-24T18:00'],
  ['4', 'filter', '-A INPUT -m time --datestart {} -j ACCEPT', 'time', '--datestart', '2024-13-01'],
  ['4', 'filter', '-A INPUT -m time --datestart {} -j ACCEPT', 'time', '--datestart', '2039-01-01'],
  ['4', 'filter', '-A INPUT -m time --weekdays {} -j ACCEPT', 'time', '--weekdays', 'Mo,Tu,Sa'],
  ['4', 'filter', '-A INPUT -m time --weekdays {} -j ACCEPT', 'time', '--weekdays', 'mon'],
  ['4', 'filter', '-A INPUT -m time --weekdays {} -j ACCEPT', 'time', '--weekdays', '0'],
  ['4', 'filter', '-A INPUT -m time --monthdays {} -j ACCEPT', 'time', '--monthdays', '1,31'],
  ['4', 'filter', '-A INPUT -m time --monthdays {} -j ACCEPT', 'time', '--monthdays', '32'],
  // strings, hex strings, u32, bpf
  ['4', 'filter', '-A INPUT -m string --algo bm --hex-string {} -j ACCEPT', 'string', '--hex-string', '|0d0a|'],
  ['4', 'filter', '-A INPUT -m string --algo bm --hex-string {} -j ACCEPT', 'string', '--hex-string', '|0d0|'],
  ['4', 'filter', '-A INPUT -m string --algo bm --hex-string {} -j ACCEPT', 'string', '--hex-string', '|zz|'],
  ['4', 'filter', '-A INPUT -m string --algo bm --hex-string {} -j ACCEPT', 'string', '--hex-string', 'GET|20|/'],
  ['4', 'filter', '-A INPUT -m string --algo bm --string {} -j ACCEPT', 'string', '--string', 'x'.repeat(129)],
  ['4', 'filter', '-A INPUT -m u32 --u32 {} -j ACCEPT', 'u32', '--u32', '6&0xFF=1&&0>>22&0x3C@0>>24=0'],
  ['4', 'filter', '-A INPUT -m u32 --u32 {} -j ACCEPT', 'u32', '--u32', '6&0xFF'],
  ['4', 'filter', '-A INPUT -m bpf --bytecode {} -j ACCEPT', 'bpf', '--bytecode', '1,6 0 0 1'.replace(/ /g, '_')],
  // misc enums and ids
  ['4', 'filter', '-A INPUT -m pkttype --pkt-type {} -j ACCEPT', 'pkttype', '--pkt-type', 'Broadcast'],
  ['4', 'filter', '-A INPUT -m pkttype --pkt-type {} -j ACCEPT', 'pkttype', '--pkt-type', 'anycast'],
  ['4', 'filter', '-A INPUT -m addrtype --dst-type {} -j ACCEPT', 'addrtype', '--dst-type', 'loca'],
  ['4', 'filter', '-A INPUT -m addrtype --dst-type {} -j ACCEPT', 'addrtype', '--dst-type', 'LOCAL,FOO'],
  ['4', 'filter', '-A INPUT -p dccp --dccp-types {} -j ACCEPT', 'dccp', '--dccp-types', 'request,RESET'],
  ['4', 'filter', '-A INPUT -p sctp --chunk-types any {} -j ACCEPT', 'sctp', '--chunk-types', 'DATA:Be,INIT'],
  ['4', 'filter', '-A INPUT -p sctp --chunk-types any {} -j ACCEPT', 'sctp', '--chunk-types', 'INIT:T'],
  ['4', 'filter', '-A OUTPUT -m owner --uid-owner {} -j ACCEPT', 'owner', '--uid-owner', '1000-1999'],
  ['4', 'filter', '-A OUTPUT -m owner --uid-owner {} -j ACCEPT', 'owner', '--uid-owner', '4294967295'],
  ['4', 'filter', '-A INPUT -m connlabel --label {} -j ACCEPT', 'connlabel', '--label', '127'],
  ['4', 'mangle', '-A POSTROUTING -j CLASSIFY --set-class {}', 'CLASSIFY', '--set-class', '1:10'],
  ['4', 'mangle', '-A POSTROUTING -j CLASSIFY --set-class {}', 'CLASSIFY', '--set-class', '1'],
  ['4', 'filter', '-A INPUT -j HMARK --hmark-mod 2 --hmark-rnd 1 --hmark-tuple {}', 'HMARK', '--hmark-tuple', 'src,dst,proto'],
  ['4', 'filter', '-A INPUT -j HMARK --hmark-mod 2 --hmark-rnd 1 --hmark-sport-mask {}', 'HMARK', '--hmark-sport-mask', '0x10000'],
  ['4', 'filter', '-A INPUT -m policy --dir in --pol ipsec --proto {} -j ACCEPT', 'policy', '--proto', 'udp'],
  ['4', 'filter', '-A INPUT -m policy --pol ipsec --dir {} -j ACCEPT', 'policy', '--dir', 'IN'],
  ['6', 'filter', '-A INPUT -m ipv6header --header {} -j ACCEPT', 'ipv6header', '--header', 'frag,auth'],
  ['6', 'filter', '-A INPUT -m ipv6header --header {} -j ACCEPT', 'ipv6header', '--header', 'tcp'],
  ['6', 'filter', '-A INPUT -m hbh --hbh-opts {} -j ACCEPT', 'hbh', '--hbh-opts', '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17'],
  ['4', 'filter', '-A INPUT -p dccp --dccp-option {} -j ACCEPT', 'dccp', '--dccp-option', '0'],
  ['4', 'filter', '-A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed {} -j ACCEPT', 'cluster', '--cluster-hash-seed', '0xdeadbeef'],
  // empty and long text
  ['4', 'filter', '-A INPUT -m hashlimit --hashlimit-upto 5/s --hashlimit-name {} -j ACCEPT', 'hashlimit', '--hashlimit-name', ''],
  ['4', 'filter', '-A INPUT -m nfacct --nfacct-name {} -j ACCEPT', 'nfacct', '--nfacct-name', ''],
  ['4', 'filter', '-A INPUT -j NFLOG --nflog-prefix {}', 'NFLOG', '--nflog-prefix', ''],
  ['4', 'filter', '-A INPUT -j LOG --log-prefix {}', 'LOG', '--log-prefix', ''],
  ['4', 'filter', '-A INPUT -m helper --helper {} -j ACCEPT', 'helper', '--helper', ''],
  ['4', 'filter', '-A INPUT -m comment --comment {} -j ACCEPT', 'comment', '--comment', 'c'.repeat(300)],
  ['4', 'filter', '-A INPUT -m set --match-set {} src -j ACCEPT', 'set', '--match-set', 's'.repeat(32)],
  // accepted by iptables although they cannot work as written: we only warn
  ['4', 'filter', '-A INPUT -i {} -j ACCEPT', '', '-i', 'eth0/1'],
  ['4', 'filter', '-A INPUT -i {} -j ACCEPT', '', '-i', 'eth+0'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '010.0.0.1'],
  ['4', 'filter', '-A INPUT -s {} -j ACCEPT', '', '-s', '10.0.255.0/255.0.255.0'],
  ['4', 'filter', '-A INPUT -p udp --dport {} -j ACCEPT', 'udp', '--dport', '2000:1000'],
  ['4', 'filter', '-A INPUT -m iprange --src-range {} -j ACCEPT', 'iprange', '--src-range', '10.0.0.9-10.0.0.1'],
  ['4', 'filter', '-A INPUT -m limit --limit {} -j ACCEPT', 'limit', '--limit', '1.5/s'],
  ['4', 'filter', '-A INPUT -p icmp --icmp-type {} -j ACCEPT', 'icmp', '--icmp-type', '3/4:1'],
  ['4', 'filter', '-A INPUT -m time --weekdays {} -j ACCEPT', 'time', '--weekdays', '8'],
  ['4', 'filter', '-A INPUT -m time --monthdays {} -j ACCEPT', 'time', '--monthdays', '0'],
];

const missing = realIptablesMissing();
const skip = requirement(missing === undefined, `real iptables checks: ${missing}`);

function argOf(ext: string, option: string): ArgSpec | undefined {
  if (ext === '') return undefined;
  const spec = getMatch(ext) ?? getTarget(ext);
  const o = spec?.options.find((x) => x.name === option || x.aliases?.includes(option));
  if (!o) throw new Error(`${ext} has no ${option}`);
  // the value under test is the last argument written before `{}`
  return o.args[o.args.length - 1];
}

const GENERIC: Record<string, ArgSpec> = {
  '-s': { name: 'address', type: 'address-list' },
  '-d': { name: 'address', type: 'address-list' },
  '-i': { name: 'name', type: 'interface' },
  '-p': { name: 'protocol', type: 'protocol' },
};

test(`our value checks agree with iptables-restore --test, and the product's errors with real loads (${cases.length} cases)`, { skip }, () => {
  const restoreCases = cases.map(([fam, table, rule, , , value]) => ({
    family: fam === '6' ? 'ipv6' as const : 'ipv4' as const,
    table,
    rule: rule.replace('{}', value === '' || value.includes(' ') ? `"${value}"` : value).replace(/ (\d+,(\d+_){3}\d+)/, (m) => ` "${m.slice(1).replace(/_/g, ' ')}"`),
  }));
  const results = runRestoreCases(restoreCases);
  const disagreements: string[] = [];
  cases.forEach(([fam, , rule, ext, option, raw], i) => {
    const value = raw.includes('_') && ext === 'bpf' ? raw.replace(/_/g, ' ') : raw;
    const family: Family = fam === '6' ? 'ipv6' : 'ipv4';
    const arg = argOf(ext, option) ?? GENERIC[option];
    const protocol = /-p (\S+)/.exec(rule)?.[1];
    const problem = checkValue(arg.type, value, { family, arg, protocol, warnings: true });
    const weRefuse = problem !== undefined && problem.severity !== 'warning';
    const toolRefuses = !results[i].ok;
    if (weRefuse !== toolRefuses) {
      disagreements.push(`${fam} ${rule.replace('{}', value)}: iptables ${toolRefuses ? `refuses (${results[i].message})` : 'accepts'}, we ${weRefuse ? `refuse (${problem!.message})` : problem ? `warn (${problem.message})` : 'accept'}`);
    }
  });
  assert.deepEqual(disagreements, []);
  // the whole product on the same files, loaded for real: an error-level finding exactly where
  // the load fails (iptables-restore's own checks and the kernel's)
  const loads = runRestoreCases(restoreCases, 'load');
  const product: string[] = [];
  restoreCases.forEach((c, i) => {
    const text = `*${c.table}\n${c.rule}\nCOMMIT\n`;
    const errors = lintText(text, { dialect: 'save', family: c.family }).diagnostics.filter((d) => d.severity === 'error');
    if ((errors.length > 0) !== !loads[i].ok) product.push(`${c.family} ${c.rule}: iptables-restore ${loads[i].ok ? 'loads it' : `refuses it (${loads[i].message})`}, the product ${errors.length ? `reports ${errors.map((d) => `${d.code} (${d.message})`).join(', ')}` : 'reports no error'}`);
  });
  assert.deepEqual(product, []);
  // the last block are warnings: make sure we do say something about them
  const warned = cases.slice(cases.findIndex((c) => c[5] === 'eth0/1')).filter(([fam, , , ext, option, value]) => {
    const arg = argOf(ext, option) ?? GENERIC[option];
    return checkValue(arg.type, value, { family: fam === '6' ? 'ipv6' : 'ipv4', arg, warnings: true })?.severity === 'warning';
  });
  assert.equal(warned.length, 10);
});

import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { addressFamilyMismatch } from './address-family-mismatch.ts';

ruleTable(addressFamilyMismatch, {
  valid: [
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -d 192.0.2.1 -j ACCEPT') },
    { code: table('filter', '-A INPUT -s 2001:db8::/32 -j ACCEPT'), family: 'ipv6' },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:8080') },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination [2001:db8::1]:8080'), family: 'ipv6' },
    { code: 'iptables -A INPUT -s "$V6" -j DROP\nip6tables -A INPUT -p ipv6-icmp -j ACCEPT\n', dialect: 'script' },
    { code: table('filter', '-A INPUT -s example.org -j ACCEPT'), name: 'host names are not judged' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -s «2001:db8::1» -j ACCEPT'), family: 'ipv4' },
    { code: table('filter', '-A INPUT -d «10.0.0.1,2001:db8::1» -j ACCEPT'), family: 'ipv4', name: 'one of a list' },
    { code: 'ip6tables -A INPUT -s «192.0.2.0/24» -j DROP\n', dialect: 'script' },
    { code: 'ip6tables -A INPUT -p «icmp» -j ACCEPT\niptables -A INPUT -p «ipv6-icmp» -j ACCEPT\n', dialect: 'script' },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination «10.0.0.1:80»'), family: 'ipv6' },
  ],
});

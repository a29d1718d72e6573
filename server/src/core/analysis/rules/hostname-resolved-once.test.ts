import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { hostnameResolvedOnce } from './hostname-resolved-once.ts';

const script = { dialect: 'script' as const };

ruleTable(hostnameResolvedOnce, {
  valid: [
    { code: table('filter', '-A INPUT -s 198.51.100.7/32 -d 10.0.0.0/8,192.0.2.1 -j ACCEPT\n-A INPUT -s 10/8 -j ACCEPT\n-A INPUT -m conntrack --ctorigdst 203.0.113.5 -j ACCEPT'), name: 'numeric addresses, short forms and lists' },
    { code: table('filter', '-A INPUT -s localhost -j ACCEPT\n-A INPUT -s localhost.localdomain -j ACCEPT'), name: 'names every host resolves from its hosts file' },
    { ...script, code: 'ip6tables -A INPUT -s fe80::1/64 -d ip6-localhost -j ACCEPT\niptables -A INPUT -s "$ADMIN" -j ACCEPT\n', name: 'IPv6 addresses, ip6-localhost, expansions' },
    { code: table('filter', '-A INPUT -p tcp -dport 80 -j ACCEPT\n-A INPUT -p udp -sport 53 -j ACCEPT'), name: 'a long option with one dash (-dport is -d port): syntax-error says what was meant' },
    { code: table('filter', '-A INPUT -m comment --comment admin.example.org -j ACCEPT\n-A INPUT -i eth-lan -j ACCEPT'), name: 'names in other places' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -p tcp --dport 22 -s «admin.example.org» -j ACCEPT\n-A OUTPUT -d «10.0.0.1,backup.example.net/32» -j ACCEPT'), name: '-s and -d, alone or in a list' },
    { code: table('filter', '-A FORWARD -m conntrack --ctorigdst «www.example.com» -j ACCEPT'), name: 'a match\'s address option' },
    { code: table('filter', '-A INPUT -d«example.org» -j ACCEPT\n-A INPUT -p tcp -d«portal» -j ACCEPT'), name: 'a name attached to -d that no long option starts with' },
    { ...script, code: 'ADMIN=vpn.example.org\niptables -A INPUT -s «$ADMIN» -j ACCEPT\nip6tables -A INPUT ! -s «mirror.example.com» -j DROP\n', name: 'through a variable the script sets, negated, IPv6' },
  ],
});

import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { redundantRule } from './redundant-rule.ts';

ruleTable(redundantRule, {
  valid: [
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 23 -j ACCEPT') },
    { code: table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100\n-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.1.101'), name: 'a second DNAT elsewhere is shadowed, not redundant' },
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset\n-A INPUT -p tcp --dport 22 -j REJECT'), name: 'another REJECT answer' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -p tcp --dport 20:25 -j ACCEPT\n«-A INPUT -p tcp --dport 22 -j ACCEPT»') },
    { code: table('filter', '-A INPUT -s 192.0.2.0/24 -j DROP\n«-A INPUT -s 192.0.2.0/24 -j DROP»'), name: 'a duplicate' },
    // iptables -S shows 10.0.0.0/8 for all three (iptables 1.8.9)
    { code: table('filter', '-A INPUT -s 10.0.0.0/8 -j DROP\n«-A INPUT -s 10/8 -j DROP»\n«-A INPUT -s 10.1/8 -j DROP»\n«-A INPUT -s 10.1.2/255.255.0.0 -j DROP»'), name: 'networks written short, or with host bits' },
    { code: table('nat', '-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 192.168.1.100:8080\n«-A PREROUTING -i eth0 -p tcp -m tcp --dport 80 -j DNAT --to 192.168.1.100:8080»'), name: 'the same port forward twice, the second abbreviated' },
    { code: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n«iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE»\n', dialect: 'script', name: 'a script that masquerades twice' },
    { code: table('filter', '-A LAN -i lo -j RETURN\n«-A LAN -i lo -j RETURN»'), name: 'RETURN twice' },
  ],
});

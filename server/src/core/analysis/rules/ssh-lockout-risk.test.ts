import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { sshLockoutRisk } from './ssh-lockout-risk.ts';

ruleTable(sshLockoutRisk, {
  valid: [
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script' },
    { code: 'iptables -A INPUT -s "$ADMIN" -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script', name: 'an accept we cannot evaluate' },
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp -m multiport --dports 22,443 -j ACCEPT') },
    { code: 'iptables -A INPUT -p tcp --dport 2222 -j ACCEPT\niptables -P INPUT DROP\n', dialect: 'script', options: { settings: { sshPort: 2222 } }, name: 'the port is a setting' },
  ],
  invalid: [
    { code: '«iptables -P INPUT DROP»\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n', dialect: 'script', name: 'policy before the accept' },
    { code: 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT\n«iptables -I INPUT -j DROP»\n', dialect: 'script', name: 'a DROP inserted above it' },
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 80 -j ACCEPT') },
  ],
});

import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { missingEstablishedRule } from './missing-established-rule.ts';

ruleTable(missingEstablishedRule, {
  valid: [
    { code: table('filter', ':INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT') },
    { code: table('filter', ':INPUT DROP [0:0]\n:base - [0:0]\n-A INPUT -j base\n-A base -m state --state ESTABLISHED -j ACCEPT'), name: 'in a chain it jumps to' },
    { code: table('filter', ':INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 23 -j DROP') },
  ],
  invalid: [
    { code: table('filter', ':INPUT «DROP» [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT') },
    { code: 'iptables -P FORWARD «DROP»\niptables -A FORWARD -i eth1 -j ACCEPT\n', dialect: 'script' },
  ],
});

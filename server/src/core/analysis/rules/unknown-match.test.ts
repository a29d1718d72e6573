import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unknownMatch } from './unknown-match.ts';

ruleTable(unknownMatch, {
  valid: [
    { code: table('filter', '-A INPUT -m conntrack --ctstate NEW -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT') },
    { code: 'iptables -A INPUT -m "$MATCH" -j ACCEPT\n', dialect: 'script', name: 'a shell expansion is never judged' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -m «conntrak» --ctstate NEW -j ACCEPT') },
    { code: table('filter', '-A INPUT -p tcp -m «TCP» --dport 22 -j ACCEPT'), name: 'match names are case-sensitive' },
  ],
});

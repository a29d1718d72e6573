import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { deprecatedStateMatch } from './deprecated-state-match.ts';

ruleTable(deprecatedStateMatch, {
  valid: [{ code: table('filter', '-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT') }],
  invalid: [
    { code: table('filter', '-A INPUT -m «state» --state ESTABLISHED,RELATED -j ACCEPT') },
    { code: 'iptables -A INPUT -m «state» --state NEW -p tcp --dport 22 -j ACCEPT\n', dialect: 'script' },
  ],
});

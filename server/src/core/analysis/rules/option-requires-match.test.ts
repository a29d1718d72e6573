import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { optionRequiresMatch } from './option-requires-match.ts';

ruleTable(optionRequiresMatch, {
  valid: [
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT') },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1:80') },
  ],
  invalid: [
    { code: table('filter', '-A INPUT «--dport» 22 -j ACCEPT'), name: '--dport without -p' },
    { code: table('filter', '-A INPUT «--ctstate» NEW -j ACCEPT'), name: '--ctstate without -m conntrack' },
    { code: table('filter', '-A INPUT --dport 22 -p tcp -j ACCEPT').replace('--dport', '«--dport»'), name: 'option before its match' },
    { code: table('nat', '-A PREROUTING «--to-destination» 10.0.0.1 -j DNAT'), name: 'target option before -j' },
  ],
});

import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { redundantRule } from './redundant-rule.ts';

ruleTable(redundantRule, {
  valid: [{ code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 23 -j ACCEPT') }],
  invalid: [
    { code: table('filter', '-A INPUT -p tcp --dport 20:25 -j ACCEPT\n«-A INPUT -p tcp --dport 22 -j ACCEPT»') },
    { code: table('filter', '-A INPUT -s 192.0.2.0/24 -j DROP\n«-A INPUT -s 192.0.2.0/24 -j DROP»'), name: 'a duplicate' },
  ],
});

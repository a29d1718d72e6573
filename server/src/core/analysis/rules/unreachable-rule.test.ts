import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unreachableRule } from './unreachable-rule.ts';

ruleTable(unreachableRule, {
  valid: [
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP') },
    { code: table('filter', '-A INPUT -j LOG\n-A INPUT -j DROP'), name: 'LOG does not decide' },
    { code: 'iptables -A INPUT $MATCH -j DROP\niptables -A INPUT -j ACCEPT\n', dialect: 'script' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -j DROP\n«-A INPUT -p tcp --dport 22 -j ACCEPT»\n«-A INPUT -j LOG»') },
    { code: table('filter', ':c - [0:0]\n-A INPUT -j c\n-A c -m comment --comment "done" -j RETURN\n«-A c -j DROP»'), name: 'after RETURN' },
  ],
});

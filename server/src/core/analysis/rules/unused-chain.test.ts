import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unusedChain } from './unused-chain.ts';

ruleTable(unusedChain, {
  valid: [
    { code: table('filter', ':a - [0:0]\n-A INPUT -j a') },
    { code: table('filter', ':a - [0:0]\n-A INPUT -g a'), name: 'goto' },
    { code: 'iptables -N a\niptables -A INPUT -j "$NEXT"\n', dialect: 'script', name: 'a jump through a shell expansion' },
  ],
  invalid: [
    { code: table('filter', ':«a» - [0:0]\n-A a -j DROP') },
    { code: 'iptables -N «logdrop»\niptables -A logdrop -j DROP\n', dialect: 'script' },
  ],
});

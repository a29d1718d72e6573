import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { duplicateChain } from './duplicate-chain.ts';

ruleTable(duplicateChain, {
  valid: [
    { code: '*filter\n:a - [0:0]\nCOMMIT\n*filter\n:a - [0:0]\nCOMMIT\n', name: 'one declaration per block' },
    { code: 'iptables -N a\niptables -X a\niptables -N a\n', dialect: 'script', name: 'deleted in between' },
    { code: 'iptables -N a\niptables -t nat -N a\nip6tables -N a\n', dialect: 'script', name: 'other tables and families' },
  ],
  invalid: [
    { code: '*filter\n:a - [0:0]\n:«a» - [0:0]\nCOMMIT\n' },
    { code: 'iptables -N a\niptables -A a -j ACCEPT\niptables -N «a»\n', dialect: 'script' },
  ],
});

import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { duplicateChain } from './duplicate-chain.ts';

ruleTable(duplicateChain, {
  valid: [
    { code: '*filter\n:a - [0:0]\nCOMMIT\n*filter\n:a - [0:0]\nCOMMIT\n', name: 'one declaration per block' },
    { code: 'iptables -N a\niptables -X a\niptables -N a\n', dialect: 'script', name: 'deleted in between' },
    { code: 'iptables -N a\niptables -t nat -N a\nip6tables -N a\n', dialect: 'script', name: 'other tables and families' },
    { code: 'iptables -N a\niptables -E a b\niptables -N a\niptables -t raw -N INPUT\n', dialect: 'script', name: 'renamed away; INPUT is no built-in chain of raw' },
  ],
  invalid: [
    { code: '*filter\n:a - [0:0]\n:«a» - [0:0]\nCOMMIT\n' },
    { code: 'iptables -N a\niptables -A a -j ACCEPT\niptables -N «a»\n', dialect: 'script' },
    { code: 'iptables -N «INPUT»\niptables -t nat -N «POSTROUTING»\n', dialect: 'script', name: '-N of a built-in chain' },
    { code: 'iptables -N a\niptables -N b\niptables -E a «b»\niptables -E a «FORWARD»\n', dialect: 'script', name: '-E to a name taken' },
  ],
});

import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unusedChain } from './unused-chain.ts';

ruleTable(unusedChain, {
  valid: [
    { code: table('filter', ':a - [0:0]\n-A INPUT -j a') },
    { code: table('filter', ':a - [0:0]\n-A INPUT -g a'), name: 'goto' },
    { code: 'iptables -N a\niptables -A INPUT -j "$NEXT"\n', dialect: 'script', name: 'a jump through a shell expansion' },
    { code: 'iptables -N old\niptables -A old -j DROP\niptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a chain a later restore of its table deletes' },
    { code: '-N a\n-A a -j DROP\n', name: 'a listing of one chain (iptables -S a): what jumps to it is left out' },
  ],
  invalid: [
    { code: table('filter', ':«a» - [0:0]\n-A a -j DROP') },
    { code: '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N «a»\n-A a -j DROP\n', name: 'a listing of the whole filter table (iptables -S)' },
    { code: 'iptables -N «logdrop»\niptables -A logdrop -j DROP\n', dialect: 'script' },
    { code: 'iptables -N «old»\niptables -A old -j DROP\niptables-restore -n <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a restore with --noflush keeps the chain' },
  ],
});

import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { missingCommit } from './missing-commit.ts';

ruleTable(missingCommit, {
  valid: [
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' },
    { code: '*nat\nCOMMIT\n*filter\nCOMMIT' , name: 'no final newline' },
  ],
  invalid: [
    { code: '«*filter»\n-A INPUT -j ACCEPT\n', name: 'end of file' },
    { code: '«*nat»\n-A POSTROUTING -j MASQUERADE\n*filter\nCOMMIT\n', name: 'next table starts' },
    { code: 'iptables-restore <<EOF\n«*filter»\n-A INPUT -j ACCEPT\nEOF\n', dialect: 'script', name: 'heredoc body' },
  ],
});

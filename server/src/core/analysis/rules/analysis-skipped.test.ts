import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { analysisSkipped } from './analysis-skipped.ts';

const small = { settings: { maxBytes: 64 } };

ruleTable(analysisSkipped, {
  valid: [
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' },
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', options: small, name: 'under the limit' },
    { code: 'iptables -A INPUT -j ACCEPT\n', dialect: 'script' },
  ],
  invalid: [
    { code: '*filter\n«\u0000»\u0001\u0002\nCOMMIT\n', name: 'NUL bytes: binary' },
    { code: '«\u0000»ELF\u0002\u0001', dialect: 'script', name: 'binary opened as a script' },
    { code: `«*filter»\n${'-A INPUT -p tcp --dport 22 -j ACCEPT\n'.repeat(3)}COMMIT\n`, options: small, name: 'over the size limit', severity: 'info' },
  ],
});

import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { analysisSkipped } from './analysis-skipped.ts';

const small = { settings: { maxBytes: 64 } };
// 2,000 bytes of heap: a save file of 52 characters takes about 1,040 (20 a character), a script of 46 about 3,220 (70)
const littleMemory = { settings: { memoryRoom: 2000 } };

ruleTable(analysisSkipped, {
  valid: [
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n' },
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', options: small, name: 'under the limit' },
    { code: 'iptables -A INPUT -j ACCEPT\n', dialect: 'script' },
    { code: '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n', options: littleMemory, name: 'a save file whose model fits in the memory left' },
  ],
  invalid: [
    { code: '*filter\n«\u0000»\u0001\u0002\nCOMMIT\n', name: 'NUL bytes: binary' },
    { code: '«\u0000»ELF\u0002\u0001', dialect: 'script', name: 'binary opened as a script' },
    { code: `«*filter»\n${'-A INPUT -p tcp --dport 22 -j ACCEPT\n'.repeat(3)}COMMIT\n`, options: small, name: 'over the size limit', severity: 'info' },
    { code: '«iptables -A INPUT -p tcp --dport 22 -j ACCEPT»\n', dialect: 'script', options: littleMemory, name: 'a script as long, whose model would not fit', severity: 'info' },
  ],
});

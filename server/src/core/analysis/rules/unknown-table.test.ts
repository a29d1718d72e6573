import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { unknownTable } from './unknown-table.ts';

ruleTable(unknownTable, {
  valid: [
    { code: '*filter\nCOMMIT\n*nat\nCOMMIT\n*mangle\nCOMMIT\n*raw\nCOMMIT\n*security\nCOMMIT\n' },
    { code: 'iptables -t nat -A PREROUTING -j ACCEPT\niptables -t "$T" -F\n', dialect: 'script' },
  ],
  invalid: [
    { code: '*«nta»\nCOMMIT\n' },
    { code: '*«Filter»\nCOMMIT\n', name: 'table names are lower case' },
    { code: 'iptables -t «nta» -A POSTROUTING -j ACCEPT\n', dialect: 'script' },
  ],
});

import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { chainLoop } from './chain-loop.ts';

ruleTable(chainLoop, {
  valid: [{ code: table('filter', ':a - [0:0]\n:b - [0:0]\n-A INPUT -j a\n-A a -j b\n-A b -j RETURN') }],
  invalid: [
    { code: table('filter', ':a - [0:0]\n:b - [0:0]\n-A a -j b\n-A b -j «a»') },
    { code: table('filter', ':a - [0:0]\n-A a -j «a»'), name: 'a chain jumping to itself' },
  ],
});

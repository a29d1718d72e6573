import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { targetNotAllowedHere } from './target-not-allowed-here.ts';

ruleTable(targetNotAllowedHere, {
  valid: [
    { code: table('nat', '-A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5\n-A OUTPUT -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5') },
    { code: table('nat', ':web - [0:0]\n-A PREROUTING -j web\n-A web -p tcp -j DNAT --to-destination 10.0.0.5'), name: 'user chain reached from PREROUTING' },
  ],
  invalid: [
    { code: table('filter', '-A FORWARD -p tcp -j «DNAT» --to-destination 10.0.0.5'), name: 'DNAT in filter' },
    { code: table('nat', '-A POSTROUTING -p tcp -j «DNAT» --to-destination 10.0.0.5'), name: 'DNAT in POSTROUTING' },
    { code: table('nat', ':web - [0:0]\n-A PREROUTING -j web\n-A POSTROUTING -j web\n-A web -p tcp -j «DNAT» --to-destination 10.0.0.5'), name: 'user chain also reached from POSTROUTING' },
    { code: table('filter', '-A INPUT -m «owner» --uid-owner 0 -j ACCEPT'), name: 'owner only for locally sent packets' },
    { code: table('mangle', '-A INPUT -j «REJECT»'), name: 'REJECT outside filter' },
  ],
});

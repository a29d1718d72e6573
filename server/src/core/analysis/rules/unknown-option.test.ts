import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unknownOption } from './unknown-option.ts';

ruleTable(unknownOption, {
  valid: [
    { code: table('filter', '-A INPUT -p tcp --dport 22 --sport 1024:65535 -j ACCEPT') },
    { code: table('filter', '-A INPUT --src 10.0.0.1 --dst 10.0.0.2 -j ACCEPT'), name: 'generic aliases' },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to 10.0.0.1'), name: 'unique abbreviation' },
    { code: table('filter', '-A INPUT -p tcp --dport=22 -j ACCEPT'), name: 'getopt --opt=value' },
    { code: 'iptables -A INPUT $EXTRA -j ACCEPT\n', dialect: 'script' },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -p tcp «--dprt» 22 -j ACCEPT') },
    { code: table('filter', '-A INPUT «--bogus» -j ACCEPT') },
    { code: table('filter', '-A INPUT «-y» -j ACCEPT'), name: 'unknown short option' },
    { code: table('filter', '-A INPUT -p tcp «--d» 22 -j ACCEPT'), name: 'ambiguous abbreviation' },
  ],
});

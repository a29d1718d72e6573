import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { optionCombination } from './option-combination.ts';

ruleTable(optionCombination, {
  valid: [
    { code: table('mangle', '-A PREROUTING -j MARK --set-mark 1\n-A POSTROUTING -j TTL --ttl-set 64') },
    { code: table('filter', '-A INPUT -m conntrack --ctstate NEW -m connlimit --connlimit-above 3 -j REJECT') },
    { code: table('nat', '-A PREROUTING -p tcp -j DNAT --to-destination 10.0.0.1') },
    { code: 'iptables -A INPUT -m conntrack $STATE -j ACCEPT\n', dialect: 'script', name: 'options hidden in a shell expansion' },
  ],
  invalid: [
    { code: table('mangle', '-A PREROUTING -j «MARK»'), name: 'target without its operation' },
    { code: table('filter', '-A INPUT -m «conntrack» -j ACCEPT'), name: 'match without options' },
    { code: table('nat', '-A PREROUTING -j «DNAT»') },
    { code: table('mangle', '-A POSTROUTING -j TTL --ttl-set 64 «--ttl-inc» 1'), name: 'exclusive options' },
    { code: table('filter', '-A INPUT -m connlimit --connlimit-above 1 --connlimit-saddr «--connlimit-daddr»') },
    { code: table('filter', '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1 «--icmpv6-type» 2'), family: 'ipv6', name: 'once-only option repeated' },
  ],
});

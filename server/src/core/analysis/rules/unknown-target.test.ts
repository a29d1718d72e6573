import { ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unknownTarget } from './unknown-target.ts';

ruleTable(unknownTarget, {
  valid: [
    { dialect: 'script', fileName: '/etc/firewall.user', code: 'iptables -A forwarding_rule -s 192.168.1.50 -j reject\n', name: 'OpenWrt\'s firewall.user: fw3\'s reject chain' },
    { code: table('filter', ':custom - [0:0]\n-A INPUT -j custom\n-A INPUT -j ACCEPT') },
    { code: table('filter', ':ACCEPTED - [0:0]\n-A INPUT -j ACCEPTED'), name: 'a declared chain that looks like a target' },
    { code: table('filter', '-A INPUT -j logdrop'), name: 'lower-case unknown names are undefined chains' },
    { code: 'iptables -A INPUT -j "$VERDICT"\n', dialect: 'script' },
    { code: 'iptables -A FORWARD -j INT2DMZ\n', dialect: 'script', name: 'scripts: a capitalised chain made elsewhere' },
  ],
  invalid: [
    { dialect: 'script', fileName: '/etc/firewall.user', code: 'iptables -A forwarding_rule -s 192.168.1.50 -j «rejct»\n', name: 'firewall.user: a typo is no fw3 chain' },
    { code: table('filter', '-A INPUT -j «accept»'), name: 'target names are case-sensitive' },
    { code: table('filter', '-A INPUT -j «ACCPET»') },
    { code: table('filter', '-A INPUT -j «BLACKHOLE»'), name: 'capitals read as a target' },
    { code: 'iptables -A INPUT -j «ACCPET»\n', dialect: 'script' },
  ],
});

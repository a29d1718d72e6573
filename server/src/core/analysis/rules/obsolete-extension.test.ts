import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { obsoleteExtension } from './obsolete-extension.ts';

ruleTable(obsoleteExtension, {
  valid: [
    { code: table('raw', '-A PREROUTING -p udp --dport 53 -j CT --notrack') },
    { code: table('filter', '-A INPUT -j NFLOG --nflog-group 1') },
    { code: 'iptables -A INPUT -j "$LOGTARGET" --ulog-prefix x\n', dialect: 'script' },
    // a chain of that name in a script is not the target
    { code: table('filter', ':ulog - [0:0]\n-A INPUT -j ulog') },
  ],
  invalid: [
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j «ULOG» --ulog-prefix "ssh: "'), severity: 'warning' },
    { code: table('mangle', '-A PREROUTING -d 192.0.2.100/32 -i eth0 -j «CLUSTERIP» --new --hashmode sourceip --clustermac 01:00:5E:00:00:20 --total-nodes 2 --local-node 1'), severity: 'warning' },
    { code: table('raw', '-A PREROUTING -p udp --dport 53 -j «NOTRACK»'), severity: 'info' },
    { code: 'ip6tables -t raw -A OUTPUT -p udp --sport 53 -j «NOTRACK»\n', dialect: 'script', severity: 'info' },
  ],
});

test('NOTRACK becomes CT --notrack, a fix that keeps what the rule does', () => {
  const r = fixFirst(obsoleteExtension, table('raw', '-A PREROUTING -p udp --dport 53 -j NOTRACK'));
  assert.equal(r.text, table('raw', '-A PREROUTING -p udp --dport 53 -j CT --notrack'));
  assert.equal(r.left, 0);
  assert.equal(r.finding.fixes?.[0].safe, true);
});

test('ULOG becomes NFLOG with its options renamed (a copy of the whole packet is NFLOG\'s default); not applied by --fix', () => {
  const r = fixFirst(obsoleteExtension, 'iptables -A INPUT -j ULOG --ulog-nlgroup 2 --ulog-prefix "drop: " --ulog-cprange 0 --ulog-qthreshold 10\n', { dialect: 'script' });
  assert.equal(r.text, 'iptables -A INPUT -j NFLOG --nflog-group 2 --nflog-prefix "drop: " --nflog-threshold 10\n');
  assert.equal(r.left, 0);
  assert.notEqual(r.finding.fixes?.[0].safe, true);
  assert.equal(fixFirst(obsoleteExtension, table('filter', '-A INPUT -j ULOG --ulog-cprange 64')).text, table('filter', '-A INPUT -j NFLOG --nflog-size 64'));
  // a value the shell gives: left to a person; CLUSTERIP has no mechanical replacement
  const ownFixes = (text: string, dialect: 'save' | 'script') => lintWith(obsoleteExtension, text, { dialect })[0].fixes?.filter((f) => !f.title.startsWith('Disable')) ?? [];
  assert.deepEqual(ownFixes('iptables -A INPUT -j ULOG --ulog-nlgroup "$G"\n', 'script'), []);
  assert.deepEqual(ownFixes(table('mangle', '-A PREROUTING -d 192.0.2.1/32 -j CLUSTERIP --new --hashmode sourceip --clustermac 01:00:5E:00:00:20 --total-nodes 2 --local-node 1'), 'save'), []);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { restoreResetsPolicy } from './restore-resets-policy.ts';

const script = { dialect: 'script' as const };

ruleTable(restoreResetsPolicy, {
  valid: [
    { ...script, code: 'iptables -P INPUT DROP\niptables-restore <<EOF\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n', name: 'the input declares the chain' },
    { ...script, code: 'iptables -P INPUT DROP\niptables-restore -n <<EOF\n*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n', name: '--noflush leaves policies alone' },
    { ...script, code: 'iptables -P INPUT DROP\niptables-restore <<EOF\n*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\nEOF\n', name: 'another table' },
    { ...script, code: 'iptables-restore <<EOF\n*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\niptables -P INPUT DROP\n', name: 'the policy set after' },
    { ...script, code: 'iptables -P INPUT DROP\nip6tables-restore <<EOF\n*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n', name: 'another family' },
  ],
  invalid: [
    { ...script, code: 'iptables -P INPUT DROP\niptables -P FORWARD DROP\n«iptables-restore <<EOF»\n*filter\n:FORWARD DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n', name: 'INPUT left out, FORWARD declared' },
    { ...script, code: 'policy() {\n  iptables -P FORWARD DROP\n}\npolicy\n«iptables-restore <<\'EOF\'»\n*filter\n-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT\nCOMMIT\nEOF\n', name: 'the policy set in a function called before' },
  ],
});

test('restore-resets-policy fix: the chain line with the policy below the table line', () => {
  const text = 'iptables -P INPUT DROP\niptables-restore <<EOF\n*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n';
  const [d] = lintWith(restoreResetsPolicy, text, script);
  const out = applyFix(text, d.fixes![0]);
  assert.equal(out, 'iptables -P INPUT DROP\niptables-restore <<EOF\n*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n');
  assert.deepEqual(lintWith(restoreResetsPolicy, out, script), []);
});

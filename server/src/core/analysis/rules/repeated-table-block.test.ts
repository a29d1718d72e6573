import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleTable } from '../../../../../test/support/ruleTester.ts';
import { FirewallDocument } from '../../facade.ts';
import { repeatedTableBlock } from './repeated-table-block.ts';

ruleTable(repeatedTableBlock, {
  valid: [
    { code: '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n-A POSTROUTING -o eth0 -j MASQUERADE\nCOMMIT\n', name: 'one block per table' },
    { code: 'iptables-restore -n <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -j DROP\nCOMMIT\nEOF\n', dialect: 'script', name: 'a here-document loaded with --noflush: its blocks add up' },
    { code: 'iptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\niptables -A INPUT -j DROP\n', dialect: 'script', name: 'rules added after the restore' },
    { code: 'allow() {\n  iptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n}\niptables -A INPUT -i lo -j ACCEPT\nallow\nallow\n', dialect: 'script', name: 'a function restoring at each of two calls: not followed' },
    { code: 'iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\niptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'another table filled above' },
    { code: 'if [ -n "$LO" ]; then\n  iptables -A INPUT -i lo -j ACCEPT\nfi\niptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'rules above under a condition' },
    { code: 'iptables -A INPUT -i lo -j ACCEPT\niptables-restore -n <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a restore with --noflush' },
  ],
  invalid: [
    { code: '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n*«filter»\n-A INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n' },
    { code: '*filter\nCOMMIT\n*nat\nCOMMIT\n*«filter»\nCOMMIT\n*«nat»\nCOMMIT\n*«filter»\nCOMMIT\n', name: 'each block after the first of its table' },
    { code: 'iptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*«filter»\n-A INPUT -j DROP\nCOMMIT\nEOF\n', dialect: 'script', name: 'a here-document without --noflush' },
    { code: 'iptables -A INPUT -i lo -j ACCEPT\niptables-restore <<EOF\n*«filter»\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a script\'s restore of a table it filled above' },
    { code: 'base() {\n  iptables-restore <<EOF\n*«filter»\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n}\niptables -A INPUT -i lo -j ACCEPT\nbase\n', dialect: 'script', name: 'a function called once restores at its call' },
  ],
});

test('the tables hold the last block of a table only, unless the file is loaded with --noflush', () => {
  const text = '*filter\n:INPUT DROP [0:0]\n:ssh-in - [0:0]\n-A INPUT -j ssh-in\n-A ssh-in -p tcp --dport 22 -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n';
  const inputOf = (fileName: string) => new FirewallDocument(text, { fileName }).ruleSet.tables.get('ipv4:filter')!.chains;
  const loaded = inputOf('/etc/iptables/rules.v4');
  assert.deepEqual(loaded.get('INPUT')!.rules.map((r) => r.span.start), [text.indexOf('-A INPUT -p tcp --dport 443')]);
  assert.deepEqual(loaded.get('ssh-in')!.rules, []);
  // what the analyses make of it: SSH is no longer accepted
  const codes = new FirewallDocument(text, { fileName: '/etc/iptables/rules.v4' }).diagnostics().map((d) => d.code);
  assert.ok(codes.includes('repeated-table-block') && codes.includes('ssh-lockout-risk'), codes.join());
  // ufw loads its rules files with iptables-restore -n
  const ufw = inputOf('/etc/ufw/before.rules');
  assert.equal(ufw.get('INPUT')!.rules.length, 2);
  assert.deepEqual(new FirewallDocument(text, { fileName: '/etc/ufw/before.rules' }).diagnostics().filter((d) => d.code === 'repeated-table-block'), []);
});

test('a script\'s here-document: the tables hold its last block of a table', () => {
  const text = 'iptables-restore <<EOF\n*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\nEOF\n';
  const rules = new FirewallDocument(text, { dialect: 'script' }).ruleSet.tables.get('ipv4:filter')!.chains.get('INPUT')!.rules;
  assert.deepEqual(rules.map((r) => r.span.start), [text.indexOf('-A INPUT -p tcp --dport 443')]);
  const noflush = new FirewallDocument(text.replace('iptables-restore', 'iptables-restore -n'), { dialect: 'script' }).ruleSet.tables.get('ipv4:filter')!.chains.get('INPUT')!.rules;
  assert.equal(noflush.length, 2);
});

test('an in-place edit of a rule keeps the finding and the tables right', () => {
  let text = '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  for (const [from, to] of [['22', '2222'], ['443', '8443']]) {
    const at = text.indexOf(from);
    const next = text.slice(0, at) + to + text.slice(at + from.length);
    doc.update(next, [{ start: at, end: at + from.length, text: to }]);
    text = next;
    const fresh = new FirewallDocument(text, { dialect: 'save' });
    assert.deepEqual(doc.diagnostics().map((d) => [d.code, d.span.start]), fresh.diagnostics().map((d) => [d.code, d.span.start]));
    assert.deepEqual(doc.ruleSet.tables.get('ipv4:filter')!.chains.get('INPUT')!.rules.map((r) => r.span.start), [text.indexOf('-A INPUT -p tcp --dport 8443') === -1 ? text.indexOf('-A INPUT -p tcp --dport 443') : text.indexOf('-A INPUT -p tcp --dport 8443')]);
  }
});

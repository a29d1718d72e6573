import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, fixFirst, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
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

test('the quick fix merges the later block into the earlier one: the rules of both load', () => {
  const text = [
    '*filter', ':INPUT DROP [0:0]', ':a - [0:0]', '-A INPUT -j a', '-A a -p tcp --dport 22 -j ACCEPT', 'COMMIT',
    '*nat', '-A POSTROUTING -o eth0 -j MASQUERADE', 'COMMIT',
    '# the second set', '*filter', ':INPUT DROP [0:0]', ':a - [0:0]', ':b - [0:0]', '-A a -p tcp --dport 443 -j ACCEPT', '-A INPUT -j b', 'COMMIT', '',
  ].join('\n');
  const { text: fixed, left, finding } = fixFirst(repeatedTableBlock, text);
  assert.equal(finding.fixes![0].safe, undefined);
  assert.equal(left, 0);
  assert.equal(fixed, [
    '*filter', ':INPUT DROP [0:0]', ':a - [0:0]', '-A INPUT -j a', '-A a -p tcp --dport 22 -j ACCEPT', ':INPUT DROP [0:0]', ':b - [0:0]', '-A a -p tcp --dport 443 -j ACCEPT', '-A INPUT -j b', 'COMMIT',
    '*nat', '-A POSTROUTING -o eth0 -j MASQUERADE', 'COMMIT',
    '# the second set', '',
  ].join('\n'));
  // the tables hold the rules of both blocks, and nothing new is reported
  const chains = [...new FirewallDocument(fixed, { fileName: 'rules.v4' }).ruleSet.tables.get('ipv4:filter')!.chains.values()].map((c) => `${c.name}:${c.rules.map((r) => fixed.slice(r.span.start, r.span.end)).join('|')}`);
  assert.deepEqual(chains.sort(), ['FORWARD:', 'INPUT:-A INPUT -j a|-A INPUT -j b', 'OUTPUT:', 'a:-A a -p tcp --dport 22 -j ACCEPT|-A a -p tcp --dport 443 -j ACCEPT', 'b:']);
  const codes = (t: string) => new FirewallDocument(t, { fileName: 'rules.v4' }).diagnostics().filter((d) => d.severity === 'error').map((d) => d.code);
  assert.deepEqual(codes(fixed), []);
});

test('no merge where a block is left open, and in a here-document the fix keeps to its lines', () => {
  assert.deepEqual(lintWith(repeatedTableBlock, '*filter\n-A INPUT -j ACCEPT\n*filter\n-A INPUT -j DROP\nCOMMIT\n').map((d) => d.fixes?.filter((f) => !f.suppression)), [[]]);
  // a here-document's block left open: the COMMIT of what follows it is not the block's
  const open = 'iptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n*filter\n-A INPUT -j DROP\nEOF\necho done\ncat <<X\nCOMMIT\nX\n';
  assert.deepEqual(lintWith(repeatedTableBlock, open, { dialect: 'script' }).map((d) => d.fixes?.filter((f) => !f.suppression)), [[]]);
  const script = 'iptables-restore <<-EOF\n\t*filter\n\t:a - [0:0]\n\t-A INPUT -j a\n\tCOMMIT\n\t*filter\n\t:a - [0:0]\n\t-A a -j DROP\n\tCOMMIT\n\tEOF\n';
  const { text: fixed, left } = fixFirst(repeatedTableBlock, script, { dialect: 'script' });
  assert.equal(fixed, 'iptables-restore <<-EOF\n\t*filter\n\t:a - [0:0]\n\t-A INPUT -j a\n\t-A a -j DROP\n\tCOMMIT\n\tEOF\n');
  assert.equal(left, 0);
});

test('a DROP policy of the block before that the later block does not set again: related places, for iptables-nft resets it', () => {
  const text = '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*filter\n:FORWARD DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  const [d] = lintWith(repeatedTableBlock, text);
  assert.equal(d.span.start, text.lastIndexOf('*filter') + 1);
  assert.deepEqual(d.related?.map((r) => [r.span.start, r.span.end]), [
    [1, 7],
    [text.indexOf('INPUT'), text.indexOf('INPUT') + 'INPUT'.length],
  ]);
  // every built-in chain declared again, or ACCEPT before: nothing to reset
  const [again] = lintWith(repeatedTableBlock, text.replace('*filter\n:FORWARD', '*filter\n:INPUT DROP [0:0]\n:FORWARD'));
  assert.equal(again.related?.length, 1);
});

test('blocks one after the other are merged where they are: the COMMIT and *table lines between go, the later block is not copied', () => {
  const text = '*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n-A INPUT -j a\nCOMMIT\n# Completed\n# Generated by iptables-save\n*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n-A a -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  const { text: fixed, left, finding } = fixFirst(repeatedTableBlock, text);
  assert.ok(finding.fixes![0].edits.every((e) => e.text === ''));
  assert.equal(fixed, '*filter\n:INPUT DROP [0:0]\n:a - [0:0]\n-A INPUT -j a\n# Completed\n# Generated by iptables-save\n:INPUT DROP [0:0]\n-A a -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  assert.equal(left, 0);
});

test('an edit in place keeps the merge fix on the lines as they are now', () => {
  let text = '*filter\n:a - [0:0]\n-A INPUT -j a\nCOMMIT\n*filter\n:a - [0:0]\n-A a -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  doc.diagnostics();
  const at = text.indexOf('22');
  text = text.slice(0, at) + '2222' + text.slice(at + 2);
  doc.update(text, [{ start: at, end: at + 2, text: '2222' }]);
  const fix = doc.diagnostics().find((d) => d.code === 'repeated-table-block')!.fixes!.find((f) => !f.suppression)!;
  assert.equal(applyFix(text, fix), '*filter\n:a - [0:0]\n-A INPUT -j a\n-A a -p tcp --dport 2222 -j ACCEPT\nCOMMIT\n');
});

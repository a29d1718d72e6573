import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';

const save = [
  '*filter',
  ':INPUT DROP [0:0]',
  '-A INPUT -p tcp --dport 80 -j ACCEPT',
  '-I INPUT 2 -s 10.0.0.0/8 -m comment --comment "lan" -j ACCEPT',
  '-D INPUT -s 192.0.2.1/32 -j DROP',
  '-D INPUT 3',
  'COMMIT',
  '',
].join('\n');

test('a save file: each rule line is command and rule in one object, of one field order unless it has what iptables-save never writes', () => {
  const cmds = new FirewallDocument(save, { dialect: 'save' }).ruleSet.commands;
  assert.deepEqual(cmds.map((c) => c.kind), ['append', 'insert', 'delete', 'delete']);
  assert.deepEqual(cmds.map((c) => (c.rule as object | undefined) === c), [true, true, true, false]);
  assert.equal(cmds[3].rule, undefined);
  const order = Object.keys(cmds[0]).join(',');
  // a position (-I, -D by number) is added to the line that has one; the others read none
  assert.deepEqual(cmds.map((c) => Object.keys(c).join(',')), [order, `${order},position`, order, `${order},position`]);
  assert.deepEqual(cmds.map((c) => [c.position, c.policy, c.newName, c.tableDynamic, c.rule?.fragment, c.rule?.counters, c.rule?.guard]), [
    [undefined, undefined, undefined, undefined, undefined, undefined, 0],
    [2, undefined, undefined, undefined, undefined, undefined, 0],
    [undefined, undefined, undefined, undefined, undefined, undefined, 0],
    [3, undefined, undefined, undefined, undefined, undefined, undefined],
  ]);
  // the rule's view: its chain, table and target, as a script gives them
  assert.deepEqual(cmds.slice(0, 3).map((c) => [c.rule!.table, c.rule!.chain, c.rule!.target?.name, c.rule!.span === c.span]), [
    ['filter', 'INPUT', 'ACCEPT', true],
    ['filter', 'INPUT', 'ACCEPT', true],
    ['filter', 'INPUT', 'DROP', true],
  ]);
});

test('a script: commands and rules stay two objects, each kind of one field order', () => {
  const script = 'iptables -A INPUT -p tcp --dport 80 -j ACCEPT\niptables -N web\niptables -E web www\niptables -A www -j DROP\n';
  const cmds = new FirewallDocument(script, { dialect: 'script' }).ruleSet.commands;
  const rules = cmds.flatMap((c) => (c.rule ? [c.rule] : []));
  assert.equal(rules.length, 2);
  for (const c of cmds) assert.notEqual(c.rule as object | undefined, c);
  assert.equal(new Set(cmds.map((c) => Object.keys(c).join(','))).size, 1);
  assert.equal(new Set(rules.map((r) => Object.keys(r).join(','))).size, 1);
});

test('a heredoc body of a script keeps two objects: a later rename moves the rule, not the command', () => {
  const script = ['iptables-restore <<EOF', '*filter', ':FOO - [0:0]', '-A FOO -s 10.0.0.0/8 -j ACCEPT', 'COMMIT', 'EOF', 'iptables -E FOO BAR', ''].join('\n');
  const [append] = new FirewallDocument(script, { dialect: 'script' }).ruleSet.commands;
  assert.equal(append.kind, 'append');
  assert.notEqual(append.rule as object | undefined, append);
  assert.deepEqual([append.chain, append.rule?.chain], ['FOO', 'BAR']);
});

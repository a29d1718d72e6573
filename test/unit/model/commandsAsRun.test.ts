import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandsAsRun } from '../../../server/src/core/model/commandsAsRun.ts';
import { scriptRuleSet } from '../../../server/src/core/model/scriptDocument.ts';
import { SaveDocument } from '../../../server/src/core/model/saveDocument.ts';

test('a script\'s commands as it runs them: loops and functions bound at each word and call stand in for the commands as written', () => {
  const text = [
    'iptables -F',
    'allow() { iptables -A INPUT -p tcp --dport "$1" -j ACCEPT; }',
    'for ipt in iptables ip6tables; do',
    '  $ipt -t nat -F',
    'done',
    'allow 22',
    'allow 80',
    'iptables -P INPUT DROP',
    '',
  ].join('\n');
  const rs = scriptRuleSet(text);
  const run = commandsAsRun(rs);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  assert.deepEqual(
    run.map((c) => `${lineOf(c.span.start)} ${c.family} ${c.table} ${c.kind} ${c.rule?.options.find((o) => o.name === '--destination-port')?.values[0].value ?? ''}`.trim()),
    ['1 ipv4 filter flush', '6 ipv4 filter append 22', '7 ipv4 filter append 80', '4 ipv4 nat flush', '4 ipv6 nat flush', '8 ipv4 filter policy'],
  );
  // each instance names the command it was bound from
  assert.ok(run.every((c) => !c.instanceOf || rs.templates!.has(c.instanceOf)));
  assert.equal(commandsAsRun(rs), run);
  // a file without instances: its commands
  const save = new SaveDocument('*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', 'ipv4').toRuleSet();
  assert.equal(commandsAsRun(save), save.commands);
});

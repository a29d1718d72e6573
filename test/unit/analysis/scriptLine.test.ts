import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandIndent, commandTool, lineAfter } from '../../../server/src/core/analysis/scriptLine.ts';
import { FirewallDocument } from '../../../server/src/core/facade.ts';

/** A fix's new command runs the way the one beside it does: its indentation and the words before iptables' arguments. */
test('the words that run iptables, and the indentation, of each command', () => {
  const text = '  sudo /sbin/iptables -w -t nat -A POSTROUTING -j MASQUERADE\nIPT=iptables\n\t$IPT -A INPUT -j DROP\niptables \\\n  -A INPUT -j ACCEPT';
  const cmds = new FirewallDocument(text, { dialect: 'script' }).ruleSet.commands;
  assert.deepEqual(
    cmds.map((c) => [commandIndent(text, c), commandTool(text, c)]),
    [['  ', 'sudo /sbin/iptables'], ['\t', '$IPT'], ['', 'iptables']],
  );
  assert.deepEqual(lineAfter(text, cmds[0]), { at: text.indexOf('IPT='), newline: false });
  assert.deepEqual(lineAfter(text, cmds[2]), { at: text.length, newline: true });
});

test('a here-document line of iptables-restore has no tool words', () => {
  const text = 'iptables-restore <<EOF\n*filter\n-A INPUT -j DROP\nCOMMIT\nEOF\n';
  const cmds = new FirewallDocument(text, { dialect: 'script' }).ruleSet.restores![0].ruleSet.commands.filter((c) => c.rule);
  assert.equal(commandTool(text, cmds[0]), undefined);
});

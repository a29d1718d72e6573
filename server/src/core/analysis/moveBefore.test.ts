import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, lintWith } from '../../../../test/support/ruleTester.ts';
import type { LintRule } from './types.ts';
import { shadowedRule } from './rules/shadowed-rule.ts';
import { unreachableRule } from './rules/unreachable-rule.ts';

/** The text after the move fix of the rule's one finding, and the findings of the rule left after it. */
function moved(rule: LintRule, text: string, dialect: 'save' | 'script' = 'save'): { text: string; left: number } | undefined {
  const found = lintWith(rule, text, { dialect });
  assert.equal(found.length, 1);
  const fix = found[0].fixes?.find((f) => /^Move this rule before/.test(f.title));
  if (!fix) return undefined;
  const after = applyFix(text, fix);
  return { text: after, left: lintWith(rule, after, { dialect }).length };
}

test('save file: the exception moves before the rule that hides it, lines between stay', () => {
  const text = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -p udp --dport 53 -j ACCEPT\n-A INPUT -s 10.1.2.3 -j ACCEPT\nCOMMIT\n';
  assert.deepEqual(moved(shadowedRule, text), {
    text: '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -s 10.1.2.3 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -p udp --dport 53 -j ACCEPT\nCOMMIT\n',
    left: 0,
  });
});

test('save file: a LOG after its DROP moves before it, counters and all', () => {
  const text = '*filter\n[5:300] -A INPUT -s 203.0.113.9 -j DROP\n[0:0] -A INPUT -s 203.0.113.9 -j LOG --log-prefix "blocked: "\nCOMMIT\n';
  assert.deepEqual(moved(shadowedRule, text), {
    text: '*filter\n[0:0] -A INPUT -s 203.0.113.9 -j LOG --log-prefix "blocked: "\n[5:300] -A INPUT -s 203.0.113.9 -j DROP\nCOMMIT\n',
    left: 0,
  });
});

test('script: the command moves with its indentation, continuation lines and comment', () => {
  const text = '#!/bin/sh\nIPT=/sbin/iptables\n  $IPT -A INPUT -s 10.0.0.0/8 -j DROP\n  $IPT -A INPUT -s 10.1.2.3 \\\n    -j ACCEPT # the admin\necho done\n';
  assert.deepEqual(moved(shadowedRule, text, 'script'), {
    text: '#!/bin/sh\nIPT=/sbin/iptables\n  $IPT -A INPUT -s 10.1.2.3 \\\n    -j ACCEPT # the admin\n  $IPT -A INPUT -s 10.0.0.0/8 -j DROP\necho done\n',
    left: 0,
  });
});

test('script: the last line without a newline, its comment moved with it', () => {
  const text = 'iptables -A INPUT -s 10.0.0.0/8 -j DROP\niptables -A INPUT -s 10.1.2.3 -j ACCEPT  # admin';
  assert.deepEqual(moved(shadowedRule, text, 'script'), { text: 'iptables -A INPUT -s 10.1.2.3 -j ACCEPT  # admin\niptables -A INPUT -s 10.0.0.0/8 -j DROP', left: 0 });
});

test('script: no move out of a shell condition, past an insert, of a line shared with another command, above the setting of a variable it reads, between commands run by other words, or of a here-document\'s line', () => {
  for (const text of [
    'iptables -A INPUT -s 10.0.0.0/8 -j DROP\nif [ -n "$ADMIN" ]; then\n  iptables -A INPUT -s 10.1.2.3 -j ACCEPT\nfi\n',
    'iptables -A INPUT -s 10.0.0.0/8 -j DROP\niptables -A INPUT -s 10.1.2.3 -j ACCEPT; echo added\n',
    'iptables -I INPUT -s 10.0.0.0/8 -j DROP\niptables -A INPUT -s 10.1.2.3 -j ACCEPT\n',
    'iptables -A INPUT -s 10.0.0.0/8 -j DROP\nADMIN=10.1.2.3\niptables -A INPUT -s "$ADMIN" -j ACCEPT\n',
    'iptables -A INPUT -s 10.0.0.0/8 -j DROP\nexport ADMIN=10.1.2.3\niptables -A INPUT -s "${ADMIN}" -j ACCEPT\n',
    'iptables -A INPUT -s 10.0.0.0/8 -j DROP\nsudo iptables -A INPUT -s 10.1.2.3 -j ACCEPT\n',
    'iptables-restore --noflush <<EOF\n*filter\n-A INPUT -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.2.3 -j ACCEPT\nCOMMIT\nEOF\n',
  ]) {
    const found = lintWith(shadowedRule, text, { dialect: 'script' });
    assert.equal(found.length, 1, text);
    assert.equal(found[0].fixes?.filter((f) => /^Move this rule before/.test(f.title)).length, 0, text);
  }
});

test('script: a variable set before both moves with the command', () => {
  const text = 'ADMIN=10.1.2.3\niptables -A INPUT -s 10.0.0.0/8 -j DROP\niptables -A INPUT -s "$ADMIN" -j ACCEPT\n';
  assert.deepEqual(moved(shadowedRule, text, 'script'), { text: 'ADMIN=10.1.2.3\niptables -A INPUT -s "$ADMIN" -j ACCEPT\niptables -A INPUT -s 10.0.0.0/8 -j DROP\n', left: 0 });
});

test('unreachable-rule: the rule after a catch-all DROP moves before it', () => {
  const text = '*filter\n-A INPUT -i lo -j ACCEPT\n-A INPUT -j DROP\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
  assert.deepEqual(moved(unreachableRule, text), {
    text: '*filter\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n',
    left: 0,
  });
});

test('unreachable-rule: no move where an earlier rule already decides every packet of the rule (it would stay without effect)', () => {
  const text = '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -j DROP\n-A INPUT -i eth0 -p tcp --dport 22 -j DROP\n-A INPUT -i eth0 -p tcp --dport 80 -j DROP\nCOMMIT\n';
  const found = lintWith(unreachableRule, text);
  assert.deepEqual(found.map((d) => d.span.start), [text.indexOf('-A INPUT -i eth0 -p tcp --dport 22'), text.indexOf('-A INPUT -i eth0 -p tcp --dport 80')]);
  assert.deepEqual(found.map((d) => d.fixes?.filter((f) => /^Move this rule before/.test(f.title)).length), [0, 1]);
  // moved, the second does what it says; and shadowed-rule has nothing to say of it
  const after = applyFix(text, found[1].fixes!.find((f) => /^Move this rule before/.test(f.title))!);
  assert.deepEqual(lintWith(shadowedRule, after), []);
});

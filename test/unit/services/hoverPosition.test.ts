import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { hoverAt } from '../../../server/src/core/services/hover.ts';
import { POSITIONED_RULES } from '../../../server/src/core/model/tableState.ts';

/** The hover on the rule number of the `nth` command written `written`: its span's text, and the rule it quotes (first line of the code block). */
function onNumber(text: string, written: string, nth = 0) {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(written, i + 1);
  assert.ok(i >= 0, written);
  const doc = new FirewallDocument(text, { dialect: 'script' });
  const h = hoverAt(doc, i + written.length - 1);
  assert.ok(h, written);
  return { word: text.slice(h.span.start, h.span.end), quoted: /```\n(.*)\n```/.exec(h.markdown)?.[1], line: Number(/line (\d+)/.exec(h.markdown)?.[1] ?? 0), markdown: h.markdown };
}

const script = [
  'iptables -F INPUT',
  'iptables -A INPUT -i lo -j ACCEPT',
  'iptables -A INPUT -p tcp --dport 22 -j ACCEPT',
  'iptables -A INPUT -p tcp --dport 443 -j ACCEPT',
  'iptables -I INPUT 2 -p tcp --dport 80 -j ACCEPT',
  'iptables -D INPUT 4',
  'iptables -R INPUT 1 -i lo -m comment --comment loopback -j ACCEPT',
  'iptables -I INPUT 4 -j LOG',
  'iptables -I INPUT 9 -j DROP',
  '',
].join('\n');

test('the rule number of -I, -D and -R points at the rule the script has put there by then', () => {
  // -I INPUT 2 goes before the ssh rule (line 3); then INPUT is lo, 80, 22, 443
  const ins = onNumber(script, '-I INPUT 2');
  assert.deepEqual([ins.word, ins.quoted, ins.line], ['2', 'iptables -A INPUT -p tcp --dport 22 -j ACCEPT', 3]);
  // -D INPUT 4 deletes the 443 rule, the fourth after the insert
  const del = onNumber(script, '-D INPUT 4');
  assert.deepEqual([del.word, del.quoted, del.line], ['4', 'iptables -A INPUT -p tcp --dport 443 -j ACCEPT', 4]);
  // -R INPUT 1 replaces the loopback accept
  const rep = onNumber(script, '-R INPUT 1');
  assert.deepEqual([rep.word, rep.quoted, rep.line], ['1', 'iptables -A INPUT -i lo -j ACCEPT', 2]);
  // INPUT holds 3 rules then: -I 4 appends (nothing quoted), -I 9 is past the end
  assert.equal(onNumber(script, '-I INPUT 4').quoted, undefined);
  assert.equal(onNumber(script, '-I INPUT 9').quoted, undefined);
});

test('where the chain is not built from empty, or a rule above may be missing or doubled, no rule is named', () => {
  for (const text of [
    // no flush: the live INPUT may hold rules already
    'iptables -A INPUT -i lo -j ACCEPT\niptables -D INPUT 1\n',
    // a rule under a condition
    'iptables -F\nif [ -n "$SSH" ]; then iptables -A INPUT -p tcp --dport 22 -j ACCEPT; fi\niptables -A INPUT -i lo -j ACCEPT\niptables -D INPUT 1\n',
    // two kernel rules from one command
    'iptables -F\niptables -A INPUT -s 10.0.0.1,10.0.0.2 -j ACCEPT\niptables -A INPUT -i lo -j ACCEPT\niptables -D INPUT 2\n',
  ]) {
    const [written, n] = text.match(/-D INPUT (\d)/)!;
    const h = onNumber(text, written);
    assert.deepEqual([h.word, h.quoted, h.line], [n, undefined, 0], text);
  }
});

test('rule number 0 is refused whatever the chain holds', () => {
  for (const text of ['iptables -F\niptables -I INPUT 0 -j ACCEPT\n', 'iptables -D INPUT 0\n']) {
    const [written] = text.match(/-[ID] INPUT 0/)!;
    const h = onNumber(text, written);
    assert.deepEqual([h.word, h.quoted, h.line], ['0', undefined, 0]);
    assert.match(h.markdown, /\b1\b/);
  }
});

test('a chain longer than the rules followed is left unknown (each number would read the whole chain)', () => {
  const rules = (n: number) => Array.from({ length: n }, (_, i) => `iptables -A INPUT -s 10.0.${i >> 8}.${i & 255} -j DROP`).join('\n');
  const within = `iptables -F\n${rules(POSITIONED_RULES)}\niptables -D INPUT 1\n`;
  assert.equal(onNumber(within, '-D INPUT 1').quoted, 'iptables -A INPUT -s 10.0.0.0 -j DROP');
  const past = `iptables -F\n${rules(POSITIONED_RULES + 1)}\niptables -D INPUT 1\n`;
  assert.equal(onNumber(past, '-D INPUT 1').quoted, undefined);
});

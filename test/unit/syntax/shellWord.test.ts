import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { shellWord } from '../../../server/src/core/syntax/shellWord.ts';

/** Words as written in a script, and their value after quote removal. */
const STATIC: [written: string, value: string][] = [
  ['--dport', '--dport'],
  ['10.200.0.0/16', '10.200.0.0/16'],
  ['ab"c d"e', 'abc de'],
  ['"a\\qb"', 'a\\qb'],
  ['"a\\$b"', 'a$b'],
  ['"a\\"b"', 'a"b'],
  ['"a\\\\b"', 'a\\b'],
  ["'x y'z", 'x yz'],
  ["'a\"b'", 'a"b'],
  ['a\\ b', 'a b'],
  ['-m"comment"', '-mcomment'],
  ['"ns/svc:port cluster IP"', 'ns/svc:port cluster IP'],
  ['pre"mid"\'q\'post', 'premidqpost'],
  ['a$', 'a$'],
  ['"$"', '$'],
];

test('static words have the value the shell gives them, quotes and escapes removed', () => {
  for (const [written, value] of STATIC) {
    const w = shellWord(written, 7);
    assert.equal(w.value, value, written);
    assert.equal(w.dynamic, false, written);
    assert.deepEqual(w.span, { start: 7, end: 7 + written.length }, written);
    assert.equal(w.quoted, /["']/.test(written), written);
  }
  // the same words through a real shell: printf prints each argument as the shell passed it
  const printed = execFileSync('sh', ['-c', `printf '%s\\0' ${STATIC.map(([w]) => w).join(' ')}`], { encoding: 'utf8' }).split('\0').slice(0, -1);
  assert.deepEqual(printed, STATIC.map(([, v]) => v));
});

test('words with expansions are dynamic, and an unclosed quote is flagged', () => {
  for (const written of ['$IPT', '"${WAN}"x', 'a"$(date)"', '`id`', '"$1"']) assert.equal(shellWord(written, 0).dynamic, true, written);
  assert.equal(shellWord('"$"', 0).dynamic, false);
  assert.equal(shellWord('"abc', 0).unterminated, true);
  assert.equal(shellWord("'abc", 0).unterminated, true);
  assert.equal(shellWord('"abc"', 0).unterminated, undefined);
});

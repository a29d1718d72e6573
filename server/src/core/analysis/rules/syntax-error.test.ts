import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyFix, fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { syntaxError } from './syntax-error.ts';

/** What a language server says of a file whose bytes on disk start with a byte order mark. */
const bomOnDisk = { settings: { savedWithByteOrderMark: true } };

ruleTable(syntaxError, {
  valid: [
    { code: '-P INPUT DROP\n-A INPUT -i lo -j ACCEPT\n', name: 'rule lines alone: an iptables -S listing' },
    { code: table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT') },
    { code: table('filter', '-A FORWARD -c 2,3 -j ACCEPT\n-A FORWARD -c2,3 -j ACCEPT'), name: '-c with its counters joined by a comma' },
    { code: table('filter', '-A INPUT -s ! 10.0.0.1 -j DROP'), name: 'old-style negation' },
    { code: table('filter', '-A INPUT -m comment --comment "two words" -j ACCEPT') },
    { code: '# comment\n\n*filter\n:INPUT DROP [0:0]\n:user - [0:0]\n[3:120] -A INPUT -j user\nCOMMIT\n' },
    { code: 'iptables -A INPUT -p tcp --dport "$PORT" -j ACCEPT\n', dialect: 'script', name: 'shell expansion as a value' },
    { code: 'iptables -A INPUT $EXTRA_MATCHES -j ACCEPT\n', dialect: 'script', name: 'shell expansion standing for options' },
  ],
  invalid: [
    // measured (1.8.9, both backends): `-j SET ! --add-set s src ! --exist` is loaded as `--add-set s src --exist`
    { code: table('filter', '-A INPUT -p tcp -j SET «!» --add-set s src «!» --exist'), severity: 'warning', name: 'a negation the SET target drops' },
    { code: table('filter', '-A INPUT -p tcp «--dport» -j ACCEPT'), name: 'option missing its value' },
    { code: table('filter', '-A INPUT -j ACCEPT «# allow»'), name: 'end-of-line comment' },
    { code: table('filter', '-A INPUT -j LOG --log-prefix «"unterminated»'), name: 'unterminated quote' },
    { code: '«-A INPUT -j ACCEPT»\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', name: 'rule before *table' },
    { code: '«-A INPUT -j ACCEPT»\n«COMMIT»\n', name: 'rule lines and COMMIT without a *table line' },
    { code: 'iptables -A INPUT -p tcp «--dport»\n', dialect: 'script', name: 'script: option missing its value' },
    { code: '«\uFEFF»*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', name: 'a byte order mark' },
    { code: '«»*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', options: bomOnDisk, name: 'a byte order mark on disk that the editor left out of the text' },
    { code: '«\uFEFF»*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n', options: bomOnDisk, name: 'a byte order mark in the text and on disk: one finding' },
    { code: '«\uFEFF»#!/bin/sh\niptables -A INPUT -j ACCEPT\n', dialect: 'script', name: 'a script with a byte order mark before #!' },
    { code: '«»#!/bin/sh\niptables -A INPUT -j ACCEPT\n', dialect: 'script', options: bomOnDisk, name: 'a script saved with a byte order mark the editor left out' },
    { code: '«#!/bin/sh»\r\niptables -A INPUT -j ACCEPT\r\n', dialect: 'script', name: 'a script with CRLF line endings: at the first' },
    { code: '#!/bin/sh\n«iptables -A INPUT -j ACCEPT»\r\niptables -A INPUT -j DROP\r\n', dialect: 'script', name: 'CRLF from the second line on' },
  ],
});

test('a long option written with one dash: the fix writes it with two, and the line has no syntax error then', () => {
  for (const [text, dialect] of [[table('filter', '-A INPUT -p tcp -dport 22 -j ACCEPT'), 'save'], ['iptables -A INPUT -m conntrack -ctstate NEW -j ACCEPT\n', 'script']] as const) {
    const r = fixFirst(syntaxError, text, { dialect });
    assert.equal(r.finding.fixes![0].safe, undefined, 'changes what loads: never applied unasked');
    assert.ok(r.text.includes(dialect === 'save' ? ' --dport 22' : ' --ctstate NEW'), r.text);
    assert.equal(r.left, 0);
  }
});

test('syntax-error: the fix of a dropped negation removes the ! and the blank after it', () => {
  const text = '*filter\n-A INPUT -p tcp -j SET ! --add-set s src\nCOMMIT\n';
  const [d] = lintWith(syntaxError, text, { dialect: 'save' });
  assert.equal(d.fixes?.[0].title, "Remove '!'");
  assert.equal(applyFix(text, d.fixes![0]), '*filter\n-A INPUT -p tcp -j SET --add-set s src\nCOMMIT\n');
});

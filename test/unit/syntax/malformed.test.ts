import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText } from '../../../server/src/core/facade.ts';
import type { Dialect } from '../../../server/src/core/model/types.ts';
import { stripMarkers } from '../../support/ruleTester.ts';

/**
 * Malformed inputs: each case marks with «…» every range where a syntax-level diagnostic
 * must appear, and lists the codes in the same order. Nothing else of these codes may appear.
 */
interface Case {
  name: string;
  text: string;
  codes: ('syntax-error' | 'missing-commit')[];
  dialect?: Dialect;
}

const S = 'syntax-error' as const;
const M = 'missing-commit' as const;
const t = (body: string) => `*filter\n${body}\nCOMMIT\n`;

const cases: Case[] = [
  { name: 'unterminated quote (save)', text: t('-A INPUT -j LOG --log-prefix «"no end»'), codes: [S] },
  { name: 'unterminated quote (script)', text: 'iptables -A INPUT -m comment --comment «"no end»\niptables -A INPUT -j DROP\n', codes: [S], dialect: 'script' },
  { name: 'option missing its value at the end', text: t('-A INPUT -p tcp «--dport»'), codes: [S] },
  { name: 'option missing its value before the next option', text: t('-A INPUT -p tcp «--dport» -j ACCEPT'), codes: [S] },
  { name: 'jump without target', text: t('-A INPUT «-j»'), codes: [S] },
  // getopt reads `-dport 80` as `-d port 80`: one finding on the word, none for the 80 left over
  { name: 'long option with one dash', text: t('-A INPUT -p tcp «-dport» 80 -j ACCEPT'), codes: [S] },
  { name: 'long option with one dash (script)', text: 'iptables -A INPUT -m conntrack «-ctstate» NEW -j ACCEPT\n', codes: [S], dialect: 'script' },
  { name: 'a short option with its value glued is no mistake', text: t('-A INPUT -s10.0.0.1 -j ACCEPT'), codes: [] },
  { name: 'a value left over', text: t('-A INPUT -p tcp --dport 80 «81» -j ACCEPT'), codes: [S] },
  { name: 'append without chain', text: t('«-A» -j ACCEPT'), codes: [S] },
  { name: 'stray word after the chain', text: t('-A INPUT «foo» -j ACCEPT'), codes: [S] },
  { name: 'stray words after the target', text: t('-A INPUT -j ACCEPT «now please»'), codes: [S] },
  { name: 'end-of-line comment', text: t('-A INPUT -j ACCEPT «# ssh»'), codes: [S] },
  { name: 'indented comment', text: t('  «# indented»\n-A INPUT -j ACCEPT'), codes: [S] },
  { name: 'rule before *table', text: '«-A INPUT -j ACCEPT»\n*filter\nCOMMIT\n', codes: [S] },
  { name: 'chain before *table', text: '«:INPUT DROP [0:0]»\n*filter\nCOMMIT\n', codes: [S] },
  { name: 'COMMIT without table', text: '«COMMIT»\n', codes: [S] },
  { name: 'missing COMMIT at end of file', text: '«*filter»\n-A INPUT -j ACCEPT\n', codes: [M] },
  { name: 'missing COMMIT before next table', text: '«*nat»\n*filter\nCOMMIT\n', codes: [M] },
  { name: 'two tables both unclosed', text: '«*nat»\n«*filter»\n', codes: [M, M] },
  { name: 'chain line without policy', text: t(':«mychain»'), codes: [S] },
  { name: 'chain line without name', text: t('«: ACCEPT»'), codes: [S] },
  { name: 'table line without name', text: '«*»\nCOMMIT\n', codes: [S] },
  { name: 'words after the table name', text: '*filter «extra»\nCOMMIT\n', codes: [S] },
  { name: 'words after COMMIT', text: '*filter\nCOMMIT «now»\n', codes: [S] },
  { name: 'negated twice', text: t('-A INPUT ! -s «!» 10.0.0.1 -j DROP'), codes: [S] },
  { name: 'lone ! at the end', text: t('-A INPUT -j ACCEPT «!»'), codes: [S] },
  { name: 'two commands in one rule', text: t('-A INPUT «-I» INPUT -j ACCEPT'), codes: [S] },
  { name: 'rule line without a command', text: t('«-s 10.0.0.1 -j ACCEPT»'), codes: [S] },
  { name: '-t on a restore rule line', text: t('-A INPUT «-t nat» -j ACCEPT'), codes: [S] },
  { name: 'flag given a value', text: t('-A INPUT -f «yes» -j DROP'), codes: [S] },
  { name: 'set-counters with one value', text: t('-A INPUT «-c» 1 -j ACCEPT'), codes: [S] },
  { name: 'malformed counters prefix', text: t('«[a:b]» -A INPUT -j ACCEPT'), codes: [S] },
  { name: 'CRLF line endings', text: '«*filter»\r\n-A INPUT -j ACCEPT\r\nCOMMIT\r\n', codes: [S] },
  { name: 'UTF-8 byte order mark', text: '«\uFEFF»*filter\nCOMMIT\n', codes: [S] },
  { name: 'binary garbage', text: '«\u0001\u0002\u0003garbage»\n', codes: [S] },
  { name: 'binary garbage inside a table', text: t('-A INPUT -j ACCEPT «\u0007\u0008»'), codes: [S] },
  { name: '1 MB line', text: t(`-A INPUT -j ACCEPT «${'x'.repeat(1_000_000)}»`), codes: [S] },
  { name: 'script: option missing its value', text: 'iptables -A INPUT -p tcp «--dport»\n', codes: [S], dialect: 'script' },
  { name: 'script: policy without target', text: 'iptables «-P» INPUT\n', codes: [S], dialect: 'script' },
  { name: 'script: rename without new name', text: 'iptables «-E» old\n', codes: [S], dialect: 'script' },
  { name: 'script: delete with a non-number', text: 'iptables -D INPUT «first»\n', codes: [S], dialect: 'script' },
  { name: 'script: rule without command', text: 'iptables «-s 10.0.0.1 -j DROP»\n', codes: [S], dialect: 'script' },
  { name: 'script: end-of-line comment is a shell comment (fine)', text: 'iptables -A INPUT -j ACCEPT # allow\n', codes: [], dialect: 'script' },
  { name: 'script: heredoc without terminator', text: 'iptables-restore «<<EOF»\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\n', codes: [S], dialect: 'script' },
  { name: 'script: heredoc body missing COMMIT', text: 'iptables-restore <<EOF\n«*filter»\n-A INPUT -j ACCEPT\nEOF\n', codes: [M], dialect: 'script' },
  { name: 'script: heredoc body syntax error at its true position', text: 'echo start\niptables-restore <<-EOF\n\t*filter\n\t-A INPUT -p tcp «--dport»\n\tCOMMIT\n\tEOF\n', codes: [S], dialect: 'script' },
  { name: 'script: double negation', text: 'iptables -A INPUT ! -s «!» 1.2.3.4 -j DROP\n', codes: [S], dialect: 'script' },
  { name: 'empty file', text: '', codes: [] },
  { name: 'only blanks and comments', text: '# nothing\n\n   \n', codes: [] },
  { name: 'trailing blanks and no final newline are accepted', text: '*filter  \n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT   \nCOMMIT', codes: [] },
  { name: 'chain counters iptables-restore tolerates', text: '*filter\n:INPUT ACCEPT [0:0\n:x - \nCOMMIT\n', codes: [] },
];

test('at least 40 malformed inputs are covered', () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
});

for (const c of cases) {
  test(`malformed: ${c.name}`, () => {
    const { text, ranges } = stripMarkers(c.text);
    const { diagnostics } = lintText(text, { dialect: c.dialect ?? 'save' });
    const got = diagnostics
      .filter((d) => d.code === 'syntax-error' || d.code === 'missing-commit')
      .map((d) => ({ code: d.code, start: d.span.start, end: d.span.end }));
    const want = ranges.map((r, i) => ({ code: c.codes[i], start: r.start, end: r.end }));
    assert.equal(ranges.length, c.codes.length, 'one code per marked range');
    assert.deepEqual(got, want);
  });
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseShell } from '../../../server/src/core/syntax/shellParser.ts';

/** The shell conditions commands run under: branches, loop bodies, && and || (see ShellCommand.guard). */
test('shell guards: each command knows the if branch, case arm, loop or && / || it runs under', () => {
  const script = [
    'iptables -A A',
    'if [ -n "$X" ]; then',
    '  iptables -A B',
    '  for i in 1 2; do',
    '    iptables -A C',
    '  done',
    '  iptables -A D',
    'elif [ -n "$Y" ]; then iptables -A E',
    'else',
    '  iptables -A F',
    'fi',
    '[ -n "$Z" ] && iptables -A G',
    '[ -n "$Z" ] || { iptables -A H; iptables -A I; }',
    'case "$1" in',
    '  a) iptables -A J ;;',
    '  b) iptables -A K ;;',
    'esac',
    'while read -r line; do iptables -A L; done < list',
    'iptables -A M',
  ].join('\n');
  const parsed = parseShell(script);
  const guard = (name: string) => {
    const c = parsed.commands.find((c) => c.words[0]?.text === 'iptables' && c.words[2]?.text === name);
    assert.ok(c, name);
    return c.guard;
  };
  const parent = (g: number) => parsed.guards[g];
  for (const top of ['A', 'M']) assert.equal(guard(top), 0, top);
  // the if condition runs at the top; its branches each have a guard under the top
  assert.equal(parsed.commands.find((c) => c.words[0]?.text === '[')?.guard, 0);
  assert.notEqual(guard('B'), 0);
  assert.equal(guard('D'), guard('B'));
  assert.equal(parent(guard('C')), guard('B'), 'the loop body is inside the branch');
  for (const other of ['E', 'F']) {
    assert.notEqual(guard(other), guard('B'), other);
    assert.equal(parent(guard(other)), 0, other);
  }
  assert.notEqual(guard('E'), guard('F'));
  // && and ||: the command after, and everything in a group after
  assert.notEqual(guard('G'), 0);
  assert.notEqual(guard('H'), 0);
  assert.equal(guard('I'), guard('H'));
  // case arms are branches of their own
  assert.notEqual(guard('J'), 0);
  assert.notEqual(guard('J'), guard('K'));
  assert.equal(parent(guard('J')), parent(guard('K')));
  assert.notEqual(guard('L'), 0);
});

test('shell guards: a function body is a guard of its own, in each way of writing one; after it the script is back at the top', () => {
  const script = ['start() {', '  iptables -A A', '}', 'function stop {', '  iptables -A B', '}', 'function reload()', '{', '  iptables -A C; iptables -A D', '}', 'iptables -A E', 'start', 'iptables -A F'].join('\n');
  const parsed = parseShell(script);
  const guard = (name: string) => parsed.commands.find((c) => c.words[0]?.text === 'iptables' && c.words[2]?.text === name)!.guard;
  const bodies = ['A', 'B', 'C'].map(guard);
  assert.equal(new Set(bodies).size, 3, `${bodies}`);
  for (const g of bodies) {
    assert.notEqual(g, 0);
    assert.equal(parsed.guards[g], 0);
  }
  assert.equal(guard('D'), guard('C'));
  assert.equal(guard('E'), 0);
  assert.equal(guard('F'), 0, 'a call of a function is not a definition');
});

/** Which guards run only after a command succeeded, and which command (see ShellScript.afterSuccess). */
test('shell guards: the command after &&, an if branch and a while body know the command whose success they need', () => {
  const script = [
    'iptables -S A >/dev/null 2>&1 && iptables -F A',
    'iptables -S B >/dev/null 2>&1 || iptables -N B',
    'iptables -L C -n >/dev/null && { iptables -F C; iptables -X C; }',
    'if iptables -L D -n >/dev/null 2>&1; then',
    '  iptables -F D',
    'else',
    '  iptables -N D',
    'fi',
    'if ! iptables -L E -n >/dev/null 2>&1; then iptables -N E; fi',
    'while iptables -C INPUT -j F 2>/dev/null; do iptables -D INPUT -j F; done',
    'until iptables -L G -n >/dev/null 2>&1; do iptables -N G; done',
    'for c in H; do iptables -F H; done',
  ].join('\n');
  const parsed = parseShell(script);
  const index = (words: string) => parsed.commands.findIndex((c) => c.words.map((w) => w.text).join(' ') === words);
  const needs = (words: string) => {
    const i = index(words);
    assert.notEqual(i, -1, words);
    const at = parsed.afterSuccess.get(parsed.commands[i].guard);
    return at === undefined ? undefined : parsed.commands[at].words.map((w) => w.text).join(' ');
  };
  assert.equal(needs('iptables -F A'), 'iptables -S A');
  assert.equal(needs('iptables -N B'), undefined, 'after ||: the command before failed');
  assert.equal(needs('iptables -F C'), 'iptables -L C -n');
  assert.equal(needs('iptables -X C'), 'iptables -L C -n', 'a group after && as a whole');
  assert.equal(needs('iptables -F D'), 'iptables -L D -n');
  assert.equal(needs('iptables -N D'), undefined, 'the else branch runs when the test failed');
  assert.equal(needs('iptables -N E'), undefined, 'a negated test');
  assert.equal(needs('iptables -D INPUT -j F'), 'iptables -C INPUT -j F');
  assert.equal(needs('iptables -N G'), undefined, 'until runs its body while the test fails');
  assert.equal(needs('iptables -F H'), undefined, 'a for loop tests nothing');
});

test('shell commands: a command after reserved words (then, do, !) starts at its first word or redirection, not at the reserved word', () => {
  const text = 'if true; then iptables -A A; fi\nfor p in 1; do allow $p; done\nwhile false; do 2>/dev/null iptables -A B; done\n! iptables -C C\n{ iptables -A D; }\n';
  const spans = parseShell(text).commands.map((c) => text.slice(c.span.start, c.span.end));
  for (const s of ['iptables -A A', 'allow $p', '2>/dev/null iptables -A B', 'iptables -C C', 'iptables -A D']) assert.ok(spans.includes(s), `${s} in ${JSON.stringify(spans)}`);
  assert.ok(!spans.some((s) => /^(then|do|!|\{) /.test(s)), JSON.stringify(spans));
});

test('shell commands: a case arm\'s pattern is not a command', () => {
  const script = ['case "$1" in', '  start|restart)', '    start', '    ;;', '  iptables) run ;;', '  *) echo "usage: $0 start|restart" ;;', 'esac', 'case $x in a) iptables -A A ;; b|c)', '  iptables -A B ;;', 'esac', 'f() { iptables -A C; }'].join('\n');
  const parsed = parseShell(script);
  assert.deepEqual(parsed.commands.map((c) => c.words.map((w) => w.text).join(' ')), ['case "$1" in', 'start', 'run', 'echo "usage: $0 start|restart"', '', 'case $x in a', 'iptables -A A', 'iptables -A B', '', 'f', 'iptables -A C', '']);
  const arms = parsed.commands.filter((c) => ['start', 'run', 'iptables -A A', 'iptables -A B'].includes(c.words.map((w) => w.text).join(' ')));
  assert.equal(new Set(arms.map((c) => c.guard)).size, 4, 'each arm a branch of its own');
});

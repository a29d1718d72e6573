import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { parseShell, parseShellSteps } from '../../../server/src/core/syntax/shellParser.ts';
import { corpusRoot, corpusScripts, repoRoot, requirement } from '../../support/paths.ts';
import { runCounted } from '../../support/runCounted.ts';


/** Scripts whose lines the shell reads together: a part may end only where none of them is open. */
const TRICKY: Record<string, string> = {
  'quote over lines': 'iptables -A INPUT -m comment --comment "one\ntwo\nthree" -j ACCEPT\niptables -A INPUT -j DROP\n',
  'single quote over lines': "echo 'a\nb\n'\niptables -P INPUT DROP\n",
  'continuation lines': 'iptables -A FORWARD \\\n  -p tcp \\\n  --dport 22 \\\n  -j ACCEPT\niptables -A FORWARD -j DROP\n',
  'here-document': 'iptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\niptables -A INPUT -j DROP\n',
  'two here-documents on one line': 'cat <<A; cat <<-B\none\nA\n\ttwo\n\tB\niptables -F\n',
  'here-document never closed': 'iptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\n',
  'function, braces on the next line': 'rules()\n{\n  iptables -A INPUT -j ACCEPT\n}\nrules\n',
  'if, loop and case': 'if [ -n "$X" ]; then\n  iptables -F\nelse\n  for p in 22 80; do\n    iptables -A INPUT -p tcp --dport $p -j ACCEPT\n  done\nfi\ncase $1 in\n  start) iptables -P INPUT DROP ;;\n  stop) iptables -P INPUT ACCEPT ;;\nesac\n',
  '&& and || across lines': 'iptables -N X &&\n  iptables -A X -j ACCEPT ||\n  echo failed\n',
  'command substitution over lines': 'X=$(\n  ip -4 addr show eth0 |\n  grep inet\n)\niptables -A INPUT -s "$X" -j ACCEPT\n',
  'CRLF line endings': 'iptables -F\r\niptables -P INPUT DROP\r\n# a comment\r\n',
  'comment at the end, no newline': 'iptables -F\n# the end',
  'unterminated quote': 'iptables -A INPUT -j ACCEPT\necho "never closed\niptables -F\n',
};

test('a script parsed a line or so at a time gives what one parse of it gives', () => {
  for (const [name, text] of Object.entries(TRICKY)) {
    const whole = parseShell(text);
    for (const size of [1, 5, 20]) {
      const r = runCounted(parseShellSteps(text, size));
      assert.deepEqual(r.value, whole, `${name}, ${size} characters a step`);
    }
  }
});

test('a long script is parsed in several steps, each about the size asked', () => {
  const text = Array.from({ length: 2000 }, (_, i) => `iptables -A INPUT -p tcp --dport ${i} -j ACCEPT`).join('\n');
  const r = runCounted(parseShellSteps(text, 4096));
  // each part ends at the first newline past the size
  assert.ok(r.yields >= text.length / (4096 + 60) - 1 && r.yields <= text.length / 4096, `${r.yields} yields`);
  assert.equal(r.value.commands.length, 2000);
  assert.deepEqual(r.value, parseShell(text));
});

test('two scripts parsed in steps taken in turn do not share the parser state', () => {
  const a = 'f()\n{\n  iptables -A INPUT -j ACCEPT\n}\nif true; then\n  iptables -F\nfi\nf\n';
  const b = 'cat <<EOF\nbody\nEOF\niptables -N X && iptables -A X -j DROP\n';
  const results: unknown[] = [undefined, undefined];
  const steps = [parseShellSteps(a, 1), parseShellSteps(b, 1)];
  let yields = 0;
  while (results.some((r) => r === undefined)) {
    steps.forEach((s, i) => {
      if (results[i] !== undefined) return;
      const r = s.next();
      if (r.done) results[i] = r.value;
      else yields++;
    });
    // and a whole parse between two steps
    parseShell('while true; do\n  iptables -L\n');
  }
  // a part a line, but for the here-document's
  assert.ok(yields >= 8, `${yields} yields`);
  assert.deepEqual(results, [parseShell(a), parseShell(b)]);
});

test('every shell script of the corpus and the examples parses in steps as it does whole', { skip: requirement(existsSync(corpusRoot), `corpus not found at ${corpusRoot}`) }, () => {
  const scripts = corpusScripts();
  for (const { file, text } of scripts) {
    const whole = parseShell(text);
    for (const size of [1, 300]) assert.deepEqual(runCounted(parseShellSteps(text, size)).value, whole, `${relative(repoRoot, file)}, ${size} characters a step`);
  }
  assert.ok(scripts.length > 50, `${scripts.length} scripts`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixFirst, lintWith, ruleTable } from '../../../../../test/support/ruleTester.ts';
import { FirewallDocument } from '../../facade.ts';
import { duplicateChain } from './duplicate-chain.ts';

ruleTable(duplicateChain, {
  valid: [
    // a loop's -N whose failure the script expects, at each pass
    { code: 'iptables -N svc\nfor ipt in iptables ip6tables; do\n  $ipt -N svc 2>/dev/null\n  $ipt -A svc -j ACCEPT\ndone\n', dialect: 'script' },
    { code: 'iptables -N x\niptables -A INPUT -j x\niptables -N x 2>/dev/null\niptables -N x || true\n', dialect: 'script', name: 'a -N whose failure the script expects' },
    { code: '*filter\n:a - [0:0]\nCOMMIT\n*filter\n:a - [0:0]\nCOMMIT\n', name: 'one declaration per block' },
    { code: '*filter\n:INPUT ACCEPT [0:0]\n:INPUT DROP [0:0]\nCOMMIT\n', name: 'a built-in chain declared again: iptables-restore sets its policy again' },
    { code: 'iptables -N a\niptables -X a\niptables -N a\n', dialect: 'script', name: 'deleted in between' },
    { code: 'iptables -N a\niptables -t nat -N a\nip6tables -N a\n', dialect: 'script', name: 'other tables and families' },
    { code: 'iptables -N a\niptables -E a b\niptables -N a\niptables -t raw -N INPUT\n', dialect: 'script', name: 'renamed away; INPUT is no built-in chain of raw' },
    { code: 'if [ "$1" = a ]; then\n  iptables -N x\nelse\n  iptables -N x\nfi\n', dialect: 'script', name: 'one of two branches runs' },
    { code: 'start() {\n  iptables -N x\n}\nstop() {\n  iptables -F x\n  iptables -X x\n}\ncase "$1" in start) start ;; stop) stop ;; restart) stop; start ;; esac\n', dialect: 'script', name: 'start and stop functions the script picks at run time' },
    { code: 'iptables -N x\nif [ -n "$CLEAN" ]; then\n  iptables -X x\nfi\niptables -N x\n', dialect: 'script', name: 'a delete under a condition may have run' },
    { code: 'iptables -N x\niptables -A x -s $ADMIN -j ACCEPT\niptables -X x\niptables -N x\n', dialect: 'script', name: 'a -X that may succeed (the rule holding the chain may have failed)' },
  ],
  invalid: [
    { code: '*filter\n:a - [0:0]\n:«a» - [0:0]\nCOMMIT\n' },
    { code: 'iptables -N a\niptables -A a -j ACCEPT\niptables -N «a»\n', dialect: 'script' },
    { code: 'iptables -N a\niptables -N «a» || exit 1\n', dialect: 'script', name: 'a -N whose failure stops the script' },
    { code: 'iptables -N «INPUT»\niptables -t nat -N «POSTROUTING»\n', dialect: 'script', name: '-N of a built-in chain' },
    { code: 'iptables -N a\niptables -N b\niptables -E a «b»\niptables -E a «FORWARD»\n', dialect: 'script', name: '-E to a name taken' },
    { code: 'rules() {\n  iptables -N x\n  iptables -A x -j DROP\n}\niptables -F\nrules\niptables -N «x»\n', dialect: 'script', name: 'a function called at the top runs there' },
    { code: 'chain() {\n  iptables -N "$1"\n  iptables -A "$1" -j DROP\n}\nchain a\nchain b\nchain «a»\n', dialect: 'script', name: 'a helper called twice with the same name' },
    { code: 'iptables -N x\niptables -A x -j DROP\niptables -X x\niptables -N «x»\n', dialect: 'script', name: 'a -X iptables refuses deletes nothing' },
  ],
});

test('the quick fix removes the second declaration, or a -N alone on its line at the top of the script', () => {
  const save = fixFirst(duplicateChain, '*filter\n:a - [0:0]\n-A INPUT -j a\n:a - [0:0]\nCOMMIT\n');
  assert.equal(save.text, '*filter\n:a - [0:0]\n-A INPUT -j a\nCOMMIT\n');
  assert.equal(save.left, 0);
  assert.notEqual(save.finding.fixes?.[0].safe, true);
  const script = fixFirst(duplicateChain, 'iptables -N a\niptables -A INPUT -j a\n  iptables -N a  # again\necho done\n', { dialect: 'script' });
  assert.equal(script.text, 'iptables -N a\niptables -A INPUT -j a\necho done\n');
  assert.equal(script.left, 0);
  // the last line of a text without a newline
  assert.equal(fixFirst(duplicateChain, 'iptables -N a\niptables -N a', { dialect: 'script' }).text, 'iptables -N a');
});

test('no removal of a -N under a condition, sharing its line, or run by a function', () => {
  const fixesOf = (text: string) => lintWith(duplicateChain, text, { dialect: 'script' }).map((d) => (d.fixes ?? []).filter((f) => !f.suppression).length);
  assert.deepEqual(fixesOf('iptables -N a\nif true; then\n  iptables -N a\nfi\n'), [0]);
  assert.deepEqual(fixesOf('iptables -N a\niptables -N a || exit 1\n'), [0]);
  assert.deepEqual(fixesOf('iptables -N a; iptables -N a\n'), [0]);
  assert.deepEqual(fixesOf('chain() {\n  iptables -N "$1"\n}\nchain a\nchain a\n'), [0]);
  // -E to a name taken: renaming is what the script wanted, no line to remove
  assert.deepEqual(fixesOf('iptables -N a\niptables -N b\niptables -E a b\n'), [0]);
});

test('in a file loaded with --noflush (ufw\'s) a second declaration is a warning where it empties rules, else nothing', () => {
  const found = (text: string) => new FirewallDocument(text, { fileName: '/etc/ufw/before.rules' }).diagnostics().filter((d) => d.code === 'duplicate-chain').map((d) => [d.severity, d.span.start]);
  const emptying = '*filter\n:ufw-before-input - [0:0]\n-A ufw-before-input -i lo -j ACCEPT\n:ufw-before-input - [0:0]\nCOMMIT\n';
  assert.deepEqual(found(emptying), [['warning', emptying.lastIndexOf(':ufw-before-input') + 1]]);
  assert.deepEqual(found('*filter\n:ufw-before-input - [0:0]\n:ufw-before-input - [0:0]\n-A ufw-before-input -i lo -j ACCEPT\nCOMMIT\n'), []);
});

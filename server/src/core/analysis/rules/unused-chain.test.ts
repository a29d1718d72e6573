import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../facade.ts';
import { applyFixes } from '../../services/fixAll.ts';
import { chainFacts } from '../chainGraph.ts';
import { fixFirst, lintWith, ruleTable, table } from '../../../../../test/support/ruleTester.ts';
import { unusedChain } from './unused-chain.ts';

ruleTable(unusedChain, {
  valid: [
    { code: table('filter', ':a - [0:0]\n-A INPUT -j a') },
    { code: table('filter', ':a - [0:0]\n-A INPUT -g a'), name: 'goto' },
    { code: 'iptables -N a\niptables -A INPUT -j "$NEXT"\n', dialect: 'script', name: 'a jump through a shell expansion' },
    { code: 'iptables -N a\niptables -A INPUT --jump $NEXT\niptables -A INPUT --goto $OTHER\n', dialect: 'script', name: 'a jump through a shell expansion, written --jump' },
    { code: 'iptables -N old\niptables -A old -j DROP\niptables-restore <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a chain a later restore of its table deletes' },
    { code: '-N a\n-A a -j DROP\n', name: 'a listing of one chain (iptables -S a): what jumps to it is left out' },
    { code: 'iptables -N DOCKER-USER 2>/dev/null || true\niptables -F DOCKER-USER\niptables -A DOCKER-USER -i eth0 ! -s 198.51.100.0/24 -j DROP\niptables -A DOCKER-USER -j RETURN\n', dialect: 'script', name: 'DOCKER-USER, which Docker jumps to from FORWARD' },
    { code: table('filter', ':DOCKER-USER - [0:0]\n-A DOCKER-USER -i eth0 -j DROP'), name: 'DOCKER-USER in a file loaded at boot, before Docker starts' },
    { code: table('nat', ':KUBE-SERVICES - [0:0]\n:KUBE-SVC-X - [0:0]\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp --dport 443 -j KUBE-SVC-X\n-A KUBE-SVC-X -j DNAT --to-destination 10.0.0.5:6443'), name: 'kube-proxy\'s input: it adds the jumps from the built-in chains apart' },
    { code: 'iptables -N f2b-sshd\niptables -A f2b-sshd -j RETURN\n', dialect: 'script', name: 'fail2ban\'s chain' },
  ],
  invalid: [
    { code: 'iptables -N svc\nfor ipt in iptables ip6tables; do\n  $ipt -N «svc» 2>/dev/null || true\n  $ipt -A svc -p tcp --dport 22 -j ACCEPT\ndone\niptables -A INPUT -j svc\n', dialect: 'script', name: 'made by a loop over both tools, used by iptables alone' },
    { code: table('filter', ':«a» - [0:0]\n-A a -j DROP') },
    { code: '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-N «a»\n-A a -j DROP\n', name: 'a listing of the whole filter table (iptables -S)' },
    { code: 'iptables -N «logdrop»\niptables -A logdrop -j DROP\n', dialect: 'script' },
    { code: 'iptables -N «old»\niptables -A old -j DROP\niptables-restore -n <<EOF\n*filter\n-A INPUT -j ACCEPT\nCOMMIT\nEOF\n', dialect: 'script', name: 'a restore with --noflush keeps the chain' },
  ],
});

test('the quick fix removes the chain with every command that works on it', () => {
  const save = fixFirst(unusedChain, table('filter', ':INPUT DROP [0:0]\n:a - [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A a -j LOG\n-A a -j DROP'));
  assert.equal(save.text, table('filter', ':INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT'));
  assert.equal(save.left, 0);
  assert.equal(save.finding.fixes?.[0].edits.length, 2);
  assert.notEqual(save.finding.fixes?.[0].safe, true);
  // its rules flushed and written again, and the last line of a text without a newline
  const script = fixFirst(unusedChain, '#!/bin/sh\niptables -N logdrop\niptables -A logdrop -j LOG\niptables -A INPUT -j ACCEPT\niptables -F logdrop\n  iptables -A logdrop -j DROP  # then drop', { dialect: 'script' });
  assert.equal(script.text, '#!/bin/sh\niptables -A INPUT -j ACCEPT\n');
  assert.equal(script.left, 0);
  // a restore file's -F of every chain empties rules written above it: those lines go too
  const flushed = fixFirst(unusedChain, table('filter', ':a - [0:0]\n-A a -j LOG\n-F\n-A INPUT -j ACCEPT'));
  assert.equal(flushed.text, table('filter', '-F\n-A INPUT -j ACCEPT'));
  assert.deepEqual(new FirewallDocument(flushed.text, { dialect: 'save' }).diagnostics().filter((d) => d.severity === 'error'), []);
  // another table's chain of the same name stays
  assert.equal(fixFirst(unusedChain, 'iptables -N a\niptables -t nat -N a\niptables -t nat -A PREROUTING -j a\n', { dialect: 'script' }).text, 'iptables -t nat -N a\niptables -t nat -A PREROUTING -j a\n');
});

test('no removal where a line would take something else along or a command is left naming the chain', () => {
  const fixesOf = (text: string, dialect: 'save' | 'script' = 'script') => lintWith(unusedChain, text, { dialect }).map((d) => (d.fixes ?? []).filter((f) => !f.suppression).length);
  assert.deepEqual(fixesOf('iptables -N a\nif true; then\n  iptables -A a -j DROP\nfi\n'), [0]);
  assert.deepEqual(fixesOf('iptables -N a\niptables -A a -j DROP && echo ok\n'), [0]);
  assert.deepEqual(fixesOf('iptables -N a\nadd() {\n  iptables -A a -j DROP\n}\nadd\n'), [0]);
  assert.deepEqual(fixesOf('iptables -N a\niptables -A $CHAIN -j DROP\n'), [0]);
  assert.deepEqual(fixesOf('iptables -N a\niptables -E a b\n'), [0]);
  assert.deepEqual(fixesOf('iptables -N a\niptables-restore -n <<EOF\n*filter\n-A a -j DROP\nCOMMIT\nEOF\n'), [0]);
  assert.deepEqual(fixesOf(table('filter', ':a - [0:0]\n  -A a -j DROP'), 'save'), [0]);
});

test('the fixes of kept findings follow an edit above them', () => {
  let text = table('filter', '-A INPUT -p tcp --dport 22 -j ACCEPT\n:a - [0:0]\n:a - [0:0]\n:u - [0:0]\n-A u -j DROP\n-A INPUT -j a');
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const fixed = () => doc.diagnostics().filter((d) => d.code === 'unused-chain' || d.code === 'duplicate-chain').map((d) => applyFixes(text, [d.fixes![0]]).text);
  const before = fixed();
  const at = text.indexOf('22');
  const next = text.slice(0, at) + '22222' + text.slice(at + 2);
  doc.update(next, [{ start: at, end: at + 2, text: '22222' }]);
  text = next;
  // the findings were kept, not found again
  assert.ok(chainFacts(doc.ruleSet).carried.length > 0);
  assert.deepEqual(fixed(), before.map((t) => t.replace('22', '22222')));
  assert.deepEqual(fixed().sort(), [table('filter', '-A INPUT -p tcp --dport 22222 -j ACCEPT\n:a - [0:0]\n:a - [0:0]\n-A INPUT -j a'), table('filter', '-A INPUT -p tcp --dport 22222 -j ACCEPT\n:a - [0:0]\n:u - [0:0]\n-A u -j DROP\n-A INPUT -j a')].sort());
});

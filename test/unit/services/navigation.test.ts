import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FirewallDocument } from '../../../server/src/core/facade.ts';
import { chainLenses } from '../../../server/src/core/services/codeLens.ts';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../../../server/src/core/services/navigation.ts';
import { semanticTokens, semanticTokenTypes } from '../../../server/src/core/services/semanticTokens.ts';

const save = '*filter\n:INPUT DROP [0:0]\n:ssh-in - [0:0]\n-A INPUT -p tcp -j ssh-in\n-A ssh-in -s 10.0.0.0/8 -j ACCEPT\n-A ssh-in -j RETURN\nCOMMIT\n*nat\n:ssh-in - [0:0]\nCOMMIT\n';
const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  return i;
};
const texts = (text: string, spans: { span: { start: number; end: number } }[]) => spans.map((r) => [r.span.start, text.slice(r.span.start, r.span.end)]);

test('definition of a user chain from -j and -A goes to its :chain line, within the same table', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const fromJump = definitionAt(doc.chains, at(save, 'ssh-in', 1) + 2);
  assert.deepEqual(texts(save, fromJump), [[at(save, 'ssh-in'), 'ssh-in']]);
  const fromAppend = definitionAt(doc.chains, at(save, 'ssh-in', 2));
  assert.deepEqual(texts(save, fromAppend), [[at(save, 'ssh-in'), 'ssh-in']]);
});

test('references and rename cover every occurrence in the table, not the nat chain of the same name', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const refs = referencesAt(doc.chains, at(save, 'ssh-in'), true);
  assert.deepEqual(refs.map((r) => r.span.start), [0, 1, 2, 3].map((n) => at(save, 'ssh-in', n)));
  const r = renameAt(doc.chains, at(save, 'ssh-in'), 'admin-ssh');
  assert.deepEqual(r.edits?.map((s) => s.start), [0, 1, 2, 3].map((n) => at(save, 'ssh-in', n)));
});

test('rename refuses built-in chains and invalid names', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  assert.ok('error' in (prepareRenameAt(doc.chains, at(save, 'INPUT')) ?? {}));
  assert.ok(renameAt(doc.chains, at(save, 'ssh-in'), 'has space').error);
  assert.ok(renameAt(doc.chains, at(save, 'ssh-in'), '-x').error);
  assert.ok(renameAt(doc.chains, at(save, 'ssh-in'), 'x'.repeat(29)).error);
  assert.ok(renameAt(doc.chains, at(save, 'ssh-in'), 'ACCEPT').error);
  assert.ok(renameAt(doc.chains, at(save, 'ssh-in'), 'INPUT').error);
});

test('navigation in a script: -N declares, -j and -A refer', () => {
  const script = 'iptables -N logdrop\niptables -A logdrop -j LOG\niptables -A logdrop -j DROP\niptables -A INPUT -p tcp --dport 23 -j logdrop\n';
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const defs = definitionAt(doc.chains, at(script, 'logdrop', 3));
  assert.deepEqual(texts(script, defs), [[at(script, 'logdrop'), 'logdrop']]);
  assert.equal(referencesAt(doc.chains, at(script, 'logdrop'), false).length, 3);
});

test('code lenses: rules and references per chain', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const lenses = chainLenses(doc.ruleSet, doc.chains);
  assert.deepEqual(lenses.map((l) => [save.slice(l.span.start, l.span.end), l.references.length]), [
    [':INPUT DROP [0:0]', 0],
    [':ssh-in - [0:0]', 1],
    [':ssh-in - [0:0]', 0],
  ]);
});

test('semantic tokens colour tables, chains, targets, matches and options', () => {
  const text = '*filter\n:x - [0:0]\n-A INPUT -m conntrack --ctstate NEW -j x\n-A x -j ACCEPT\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const got = semanticTokens(doc.ruleSet).map((t) => [text.slice(t.span.start, t.span.end), semanticTokenTypes[t.type]]);
  assert.deepEqual(got, [
    ['filter', 'namespace'], ['x', 'function'],
    ['-A', 'parameter'], ['INPUT', 'enumMember'], ['-m', 'parameter'], ['conntrack', 'type'], ['--ctstate', 'parameter'], ['-j', 'parameter'], ['x', 'function'],
    ['-A', 'parameter'], ['x', 'function'], ['-j', 'parameter'], ['ACCEPT', 'keyword'],
  ]);
});

test('hover on a DNAT target summarises where its connections go', async () => {
  const { hoverAt } = await import('../../../server/src/core/services/hover.ts');
  const ok = '*nat\n-A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080\nCOMMIT\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT\n-A FORWARD -p tcp -d 10.0.0.5 --dport 8080 -j ACCEPT\nCOMMIT\n';
  const d1 = new FirewallDocument(ok, { dialect: 'save' });
  assert.match(hoverAt(d1, ok.indexOf('DNAT') + 1)!.markdown, /reaches 10\.0\.0\.5:8080 via FORWARD rule at line 7/);
  const bad = ok.replace('--dport 8080 -j ACCEPT', '--dport 80 -j ACCEPT');
  const d2 = new FirewallDocument(bad, { dialect: 'save' });
  assert.match(hoverAt(d2, bad.indexOf('DNAT') + 1)!.markdown, /dropped by FORWARD policy DROP/);
});

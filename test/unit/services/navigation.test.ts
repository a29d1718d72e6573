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

test('definition from -g, -I and -P goes to the -N line in a script, and from -g and -I to the :chain line in a save file', () => {
  const script = [
    'iptables -N web',
    'iptables -A INPUT -p tcp -g web',
    'iptables -I web 1 -s 10.0.0.0/8 -j ACCEPT',
    // iptables refuses a policy on a user chain (the linter says so), but F12 on it still finds the chain
    'iptables -P web DROP',
    'iptables -P INPUT DROP',
    '',
  ].join('\n');
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const decl = [[at(script, 'web'), 'web']];
  for (const [what, offset] of [['-g', at(script, 'web', 1)], ['-I', at(script, 'web', 2) + 1], ['-P', at(script, 'web', 3) + 3]] as const) {
    assert.deepEqual(texts(script, definitionAt(doc.chains, offset)), decl, what);
    assert.equal(doc.chains.at(offset)?.kind, { '-g': 'goto', '-I': 'command', '-P': 'policy' }[what], what);
  }
  // a built-in chain is never declared in a script: nothing to go to
  assert.deepEqual(definitionAt(doc.chains, at(script, 'INPUT', 1)), []);

  const text = '*filter\n:INPUT DROP [0:0]\n:web - [0:0]\n-I INPUT 1 -g web\n-I web -j ACCEPT\nCOMMIT\n';
  const d2 = new FirewallDocument(text, { dialect: 'save' });
  assert.deepEqual(texts(text, definitionAt(d2.chains, at(text, 'web', 1))), [[at(text, 'web'), 'web']], '-g');
  assert.deepEqual(texts(text, definitionAt(d2.chains, at(text, 'web', 2))), [[at(text, 'web'), 'web']], '-I');
  // -I on a built-in chain goes to its :INPUT policy line
  assert.deepEqual(texts(text, definitionAt(d2.chains, at(text, 'INPUT', 1))), [[at(text, 'INPUT'), 'INPUT']], '-I INPUT');
});

test('document highlights are the references with their declaration; kinds tell writes (declaration, -A/-I) from reads (jumps)', () => {
  const doc = new FirewallDocument(save, { dialect: 'save' });
  const refs = referencesAt(doc.chains, at(save, 'ssh-in', 1), true);
  assert.deepEqual(refs.map((r) => [r.span.start, r.kind]), [
    [at(save, 'ssh-in', 0), 'declaration'],
    [at(save, 'ssh-in', 1), 'jump'],
    [at(save, 'ssh-in', 2), 'command'],
    [at(save, 'ssh-in', 3), 'command'],
  ]);
  // from the nat chain of the same name: only itself
  assert.deepEqual(referencesAt(doc.chains, at(save, 'ssh-in', 4), true).map((r) => r.span.start), [at(save, 'ssh-in', 4)]);
});

test('code lens titles carry the rule and reference counts the lens holds', () => {
  const text = '*filter\n:INPUT DROP [0:0]\n:FORWARD ACCEPT [0:0]\n:one - [0:0]\n:many - [0:0]\n:none - [0:0]\n-A INPUT -j one\n-A INPUT -p tcp -j many\n-A FORWARD -g many\n-A many -j ACCEPT\n-A many -j DROP\n-A one -j RETURN\nCOMMIT\n';
  const doc = new FirewallDocument(text, { dialect: 'save' });
  const lenses = chainLenses(doc.ruleSet, doc.chains);
  const name = (l: { span: { start: number } }) => text.slice(l.span.start + 1).split(' ')[0];
  assert.deepEqual(lenses.map((l) => [name(l), l.rules, l.references.map((s) => doc.lines.lineOf(s.start) + 1)]), [
    ['INPUT', 2, []],
    ['FORWARD', 1, []],
    ['one', 1, [7]],
    ['many', 2, [8, 9]],
    ['none', 0, []],
  ]);
  for (const l of lenses) {
    const numbers = l.title.match(/\d+/g)!.map(Number);
    const builtin = name(l) === 'INPUT' || name(l) === 'FORWARD';
    // the title shows the counts the lens holds: "N rules · M references", or the policy for a built-in chain
    assert.deepEqual(numbers, builtin || l.references.length === 0 ? [l.rules] : [l.rules, l.references.length], l.title);
    if (builtin) assert.ok(l.title.includes(doc.ruleSet.tables.get('ipv4:filter')!.chains.get(name(l))!.policy!), l.title);
  }
});

test('semantic tokens in a shell script: tables, built-in and user chains, targets, matches, options; variables and values stay plain', () => {
  const script = [
    '#!/bin/sh',
    'IPT=iptables',
    'iptables -N web',
    'iptables -t nat -A PREROUTING -i eth0 -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5',
    'iptables -A FORWARD -m conntrack --ctstate NEW -g web',
    '$IPT -A web -i $LAN -j LOG --log-prefix "web "',
    'iptables -P web DROP',
    'echo done',
    '',
  ].join('\n');
  const doc = new FirewallDocument(script, { dialect: 'script' });
  const got = semanticTokens(doc.ruleSet).map((t) => [doc.lines.lineOf(t.span.start) + 1, script.slice(t.span.start, t.span.end), semanticTokenTypes[t.type]]);
  assert.deepEqual(got, [
    [3, '-N', 'parameter'], [3, 'web', 'function'],
    [4, '-t', 'parameter'], [4, 'nat', 'namespace'], [4, '-A', 'parameter'], [4, 'PREROUTING', 'enumMember'], [4, '-i', 'parameter'], [4, '-p', 'parameter'], [4, '--dport', 'parameter'], [4, '-j', 'parameter'], [4, 'DNAT', 'keyword'], [4, '--to-destination', 'parameter'],
    [5, '-A', 'parameter'], [5, 'FORWARD', 'enumMember'], [5, '-m', 'parameter'], [5, 'conntrack', 'type'], [5, '--ctstate', 'parameter'], [5, '-g', 'parameter'], [5, 'web', 'function'],
    [6, '-A', 'parameter'], [6, 'web', 'function'], [6, '-i', 'parameter'], [6, '-j', 'parameter'], [6, 'LOG', 'keyword'], [6, '--log-prefix', 'parameter'],
    [7, '-P', 'parameter'], [7, 'web', 'function'],
  ]);
});

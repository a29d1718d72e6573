import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedServer, type CodeActionReply, type LspPosition, type PublishedDiagnostic } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * Quick fixes through the built server over stdio: the code actions of a pushed diagnostic,
 * and the text after applying one whose edits insert a line in one place and delete it in
 * another (ranges converted by the server, applied here as an editor applies them).
 */
const skip = needBuild();

const client = sharedServer(skip);

type Position = LspPosition;
type Action = CodeActionReply;

async function diagnosticsOf(uri: string): Promise<PublishedDiagnostic[]> {
  return client().diagnosticsOf(uri);
}

/** The text with the edits applied, from the end so that earlier positions hold. */
function applied(text: string, edits: Action['edit']['changes'][string]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: Position) => starts[p.line] + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

test('a shadowed accept in a script: the move fix comes first and puts the command before the rule that hid it', { skip }, async () => {
  const uri = 'file:///tmp/code-actions/fw.sh';
  const text = '#!/bin/sh\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -s 10.0.0.0/8 -j DROP\niptables -A INPUT -p udp --dport 53 -j ACCEPT\niptables -A INPUT -s 10.1.2.3 -j ACCEPT\n';
  await client().open(uri, 'shellscript', text);
  const shadowed = (await diagnosticsOf(uri)).filter((d) => d.code === 'shadowed-rule');
  assert.deepEqual(shadowed.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]), [[4, 0, 39]]);
  const actions = await client().request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: shadowed[0].range, context: { diagnostics: shadowed } });
  assert.deepEqual(actions.map((a) => [a.title, !!a.isPreferred]), [
    ['Move this rule before the rule that decides its packets', true],
    ['Disable shadowed-rule for this line', false],
  ]);
  assert.equal(
    applied(text, actions[0].edit.changes[uri]),
    '#!/bin/sh\niptables -A INPUT -i lo -j ACCEPT\niptables -A INPUT -s 10.1.2.3 -j ACCEPT\niptables -A INPUT -s 10.0.0.0/8 -j DROP\niptables -A INPUT -p udp --dport 53 -j ACCEPT\n',
  );
});

test('a LOG after its DROP in a save file: the move fix puts it before the DROP', { skip }, async () => {
  const uri = 'file:///tmp/code-actions/blocklist.rules';
  const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 203.0.113.9/32 -j DROP\n-A INPUT -s 203.0.113.9/32 -j LOG --log-prefix "blocked: "\nCOMMIT\n';
  await client().open(uri, 'iptables-save', text);
  const shadowed = (await diagnosticsOf(uri)).filter((d) => d.code === 'shadowed-rule');
  assert.equal(shadowed.length, 1);
  const actions = await client().request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: shadowed[0].range, context: { diagnostics: shadowed } });
  const move = actions.find((a) => a.title.startsWith('Move this rule'));
  assert.ok(move);
  assert.equal(applied(text, move.edit.changes[uri]), '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 203.0.113.9/32 -j LOG --log-prefix "blocked: "\n-A INPUT -s 203.0.113.9/32 -j DROP\nCOMMIT\n');
});

interface KindedAction extends Action {
  kind: string;
}

test('source.fixAll: every safe fix of the file in one action, as iptables-lint --fix makes them; asked only by kind', { skip }, async () => {
  const uri = 'file:///tmp/code-actions/fix-all/rules.v4';
  const text = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -p tcp --dport 22 -m state --state NEW -j ACCEPT\n-A INPUT -p tcp --dprt 80 -j ACCEPT\n-A INPUT -p udp -m state -j ACCEPT\nCOMMIT\n';
  await client().open(uri, 'iptables-save', text);
  const diagnostics = await diagnosticsOf(uri);
  const whole = { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } };
  for (const only of [['source.fixAll'], ['source'], ['source.fixAll.iptables-lint']]) {
    const actions = await client().request<KindedAction[]>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [], only } });
    assert.deepEqual(actions.map((a) => a.kind), ['source.fixAll.iptables-lint'], only.join());
    // the state match without --state is left (conntrack would load and match everything), as the typo is
    assert.equal(applied(text, actions[0].edit.changes[uri]), text.replace('-m state --state ESTABLISHED', '-m conntrack --ctstate ESTABLISHED').replace('-m state --state NEW', '-m conntrack --ctstate NEW'));
    assert.equal(actions[0].edit.changes[uri].length, 4);
  }
  // quick fixes only, or another kind: no fix-all
  const quick = await client().request<KindedAction[]>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics, only: ['quickfix'] } });
  assert.ok(quick.length > 0);
  assert.ok(quick.every((a) => a.kind === 'quickfix'));
  assert.deepEqual(await client().request('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [], only: ['source.organizeImports'] } }), []);
  // the lightbulb (no kind asked) gets the quick fixes of its findings, not the fix-all
  const lightbulb = await client().request<KindedAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics: [diagnostics[0]] } });
  assert.ok(lightbulb.every((a) => a.kind === 'quickfix'));
  // nothing safe to fix: no action
  const cleanUri = 'file:///tmp/code-actions/fix-all/clean.rules';
  await client().open(cleanUri, 'iptables-save', '*filter\n-A INPUT -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n');
  assert.deepEqual(await client().request('textDocument/codeAction', { textDocument: { uri: cleanUri }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] } }), []);
});

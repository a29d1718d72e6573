import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedServer, type CodeActionReply } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * A WireGuard configuration through the built server over stdio, as VS Code sends it (language
 * id `wireguard`): findings in its hook lines at their columns in the file, edits typed into it
 * followed, a hover on `%i`, the quick fix that adds the missing PostDown line, and nothing
 * offered on its other lines.
 */
const skip = needBuild();
const client = sharedServer(skip);


const uri = 'file:///tmp/wg-lsp/wg0.conf';
const text = [
  '[Interface]',
  'Address = 10.8.0.1/24',
  'PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE',
  'PostDown = iptables -D FORWARD -i %i -j ACCEPT',
  '',
].join('\n');

test('a wg-quick configuration: hook findings where they stand, edits followed, %i hovered, the PostDown fix', { skip }, async () => {
  await client().open(uri, 'wireguard', text);
  assert.deepEqual(await client().pushedFor(uri, 1), ['missing-ip-forward@2:9-44', 'rule-left-after-down@2:46-98']);

  const hover = await client().request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 32 } });
  assert.match(hover.contents.value, /wg-quick puts its name here/);
  assert.deepEqual(await client().request('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 3 } }), []);

  const left = (await client().diagnosticsOf(uri)).filter((d) => d.code === 'rule-left-after-down');
  const actions = await client().request<CodeActionReply[]>('textDocument/codeAction', { textDocument: { uri }, range: left[0].range, context: { diagnostics: left } });
  const fix = actions.find((a) => a.title.startsWith('Delete the rule again in PostDown'))!;
  assert.deepEqual(fix.edit.changes[uri], [{ range: { start: { line: 3, character: 46 }, end: { line: 3, character: 46 } }, newText: '\nPostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE' }]);

  // the PostDown line typed in, as the fix writes it: the finding goes
  await client().conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 3, character: 46 }, end: { line: 3, character: 46 } }, text: '\nPostDown = iptables -t nat -D POSTROUTING -o eth0 -j MASQUERADE' }] });
  assert.deepEqual(await client().pushedFor(uri, 2), ['missing-ip-forward@2:9-44']);
  // a typo in the new line: reported in PostDown, the rule is left again, and that -D deletes nothing up added
  await client().conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 4, character: 53 }, end: { line: 4, character: 54 } }, text: 'E' }] });
  assert.deepEqual(await client().pushedFor(uri, 3), ['missing-ip-forward@2:9-44', 'rule-left-after-down@2:46-98', 'rule-left-after-down@4:11-63', 'unknown-target@4:53-63']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedServer, type CodeActionReply } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * An ifupdown configuration through the built server over stdio: as VS Code sends it (language
 * id `ifupdown`), and as an editor that knows it only as a configuration file sends it
 * (neovim 0.7 gives /etc/network/interfaces the filetype `conf`), found by its name. Findings
 * in its hook lines at their columns in the file, an edit followed, the hook key hovered, the
 * quick fix that adds the post-down line at the stanza's indentation.
 */
const skip = needBuild();
const client = sharedServer(skip);

const text = [
  'auto brlan',
  'iface brlan inet static',
  '    address 10.10.10.1/24',
  '    post-up iptables -A FORWARD -i $IFACE -j ACCEPT',
  '    post-up iptables -t nat -A POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE',
  '    post-down iptables -D FORWARD -i brlan -j ACCEPT',
  '',
].join('\n');

for (const [languageId, uri] of [
  ['ifupdown', 'file:///tmp/ifupdown-lsp/a/etc/network/interfaces'],
  ['conf', 'file:///tmp/ifupdown-lsp/b/etc/network/interfaces.d/brlan'],
] as const) {
  test(`an ifupdown configuration (language id ${languageId}): hook findings where they stand, $IFACE read, the key hovered, the post-down fix`, { skip }, async () => {
    await client().open(uri, languageId, text);
    // the FORWARD accept is deleted again (-i $IFACE is -i brlan); the MASQUERADE is not
    assert.deepEqual(await client().pushedFor(uri, 1), ['missing-ip-forward@3:12-51', 'rule-left-after-down@4:12-81']);

    const hover = await client().request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 7 } });
    assert.match(hover.contents.value, /^\*\*post-down\*\* — `ifdown` runs this after/);
    assert.deepEqual(await client().request('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 6 } }), []);

    const left = (await client().diagnosticsOf(uri)).filter((d) => d.code === 'rule-left-after-down');
    const actions = await client().request<CodeActionReply[]>('textDocument/codeAction', { textDocument: { uri }, range: left[0].range, context: { diagnostics: left } });
    const fix = actions.find((a) => a.title.startsWith('Delete the rule again in post-down'))!;
    const added = '\n    post-down iptables -t nat -D POSTROUTING -s 10.10.10.0/24 -o eno1 -j MASQUERADE';
    assert.deepEqual(fix.edit.changes[uri], [{ range: { start: { line: 5, character: 52 }, end: { line: 5, character: 52 } }, newText: added }]);

    // the line typed in, as the fix writes it: the finding goes
    await client().conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 5, character: 52 }, end: { line: 5, character: 52 } }, text: added }] });
    assert.deepEqual(await client().pushedFor(uri, 2), ['missing-ip-forward@3:12-51']);
  });
}

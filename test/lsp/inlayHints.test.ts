import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { dist, needBuild } from '../support/paths.ts';

type Position = { line: number; character: number };
type Hint = { position: Position; label: string; paddingLeft?: boolean; tooltip?: { kind: string; value: string } };

/**
 * Rule numbers as inlay hints from the built server over stdio: after `-A CHAIN` in the range
 * asked for, as the kernel will number the rules; gone when iptables.inlayHints.ruleNumbers is
 * turned off, which the server tells the editor with an inlay hint refresh.
 */
const saveUri = 'file:///tmp/hints/rules.v4';
const saveText = ['*filter', ':INPUT DROP [0:0]', '-A INPUT -i lo -j ACCEPT', '-A INPUT -s 192.0.2.1,192.0.2.2 -p tcp --dport 22 -j ACCEPT', '-A OUTPUT -j ACCEPT', '-A INPUT -p icmp -j ACCEPT', 'COMMIT', ''].join('\n');
const scriptUri = 'file:///tmp/hints/fw.sh';
const scriptText = ['#!/bin/sh', 'iptables -F', 'iptables -A INPUT -i lo -j ACCEPT', 'iptables -I INPUT 1 -p icmp -j ACCEPT', ''].join('\n');

test('rule numbers after -A CHAIN in the range asked for, and none once the setting is off', { skip: needBuild() }, async () => {
  let settings: Record<string, unknown> = {};
  let refreshed = 0;
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', () => [settings]);
  conn.onRequest('workspace/inlayHint/refresh', () => {
    refreshed++;
    return null;
  });
  conn.listen();
  try {
    const init = await conn.sendRequest<{ capabilities: { inlayHintProvider?: unknown } }>('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true, inlayHint: { refreshSupport: true } } } });
    assert.ok(init.capabilities.inlayHintProvider);
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: saveUri, languageId: 'iptables-save', version: 1, text: saveText } });
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: scriptUri, languageId: 'shellscript', version: 1, text: scriptText } });
    const hints = (uri: string, from: number, to: number) => conn.sendRequest<Hint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: from, character: 0 }, end: { line: to, character: 0 } } });
    const shown = (text: string, hs: Hint[]) => hs.map((h) => `${text.split('\n')[h.position.line].slice(0, h.position.character)} ${h.label}`);

    const all = await hints(saveUri, 0, 8);
    assert.deepEqual(shown(saveText, all), ['-A INPUT #1', '-A INPUT #2–3', '-A OUTPUT #1', '-A INPUT #4']);
    assert.ok(all.every((h) => h.paddingLeft && h.tooltip?.kind === 'markdown'));
    assert.match(all[1].tooltip!.value, /--line-numbers/);
    // lines 3 to 4 (0-based): the rules that start there
    assert.deepEqual(shown(saveText, await hints(saveUri, 3, 5)), ['-A INPUT #2–3', '-A OUTPUT #1']);
    assert.deepEqual(shown(scriptText, await hints(scriptUri, 0, 5)), ['iptables -A INPUT #2', 'iptables -I INPUT 1 #1']);

    settings = { inlayHints: { ruleNumbers: false } };
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const deadline = Date.now() + 10_000;
    while (refreshed === 0) {
      assert.ok(Date.now() < deadline, 'the editor is told to ask again');
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(await hints(saveUri, 0, 8), []);
  } finally {
    await conn.sendRequest('shutdown').catch(() => undefined);
    await conn.sendNotification('exit').catch(() => undefined);
    conn.dispose();
    child.kill();
  }
});

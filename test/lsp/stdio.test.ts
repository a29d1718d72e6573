import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { dist, needBuild } from '../support/paths.ts';

/**
 * The built server over stdio, with a minimal client in the test: push diagnostics for a
 * script and a save file (judged with the rules.v6 beside it), then the outline and folding
 * of the save file.
 */
interface PublishParams {
  uri: string;
  diagnostics: { code: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; source: string }[];
}

test('language server over --stdio: pushed diagnostics, symbols, folding', { skip: needBuild() }, async () => {
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published = new Map<string, PublishParams>();
  const waiters: (() => void)[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishParams) => {
    published.set(p.uri, p);
    waiters.splice(0).forEach((w) => w());
  });
  conn.listen();
  const until = async (uri: string) => {
    const deadline = Date.now() + 10_000;
    while (!published.has(uri)) {
      assert.ok(Date.now() < deadline, `no diagnostics for ${uri}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
    return published.get(uri)!;
  };
  try {
    // no pull-diagnostics capability announced: the server must push
    const init = (await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { capabilities: Record<string, unknown> };
    assert.ok(init.capabilities.documentSymbolProvider);
    await conn.sendNotification('initialized', {});

    const script = 'file:///tmp/fw.sh';
    await conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri: script, languageId: 'shellscript', version: 1, text: '#!/bin/sh\nIPT=/sbin/iptables\n$IPT -A INPUT -p tcp --dport\n' },
    });
    // rules.v4 in a folder of its own, beside a rules.v6 that leaves INPUT open
    const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-stdio-'));
    writeFileSync(join(dir, 'rules.v6'), '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n');
    const save = pathToFileURL(join(dir, 'rules.v4')).href;
    const saveText = '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n:ssh-in - [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n-A INPUT -j ssh-in\n-A ssh-in -p tcp --dport 22 -j ACCEPT\n';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: save, languageId: 'iptables-save', version: 1, text: saveText } });

    const s = await until(script);
    assert.deepEqual(s.diagnostics.map((d) => [d.code, d.source, d.range.start.line, d.range.start.character, d.range.end.character]), [['syntax-error', 'iptables', 2, 21, 28]]);
    const r = await until(save);
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['missing-commit', 3, 0], ['ipv6-left-open', 4, 7]]);

    // rules.v6 closed on disk, then an incremental edit that adds the COMMIT: both findings go
    writeFileSync(join(dir, 'rules.v6'), '*filter\n:INPUT DROP [0:0]\n-A INPUT -p ipv6-icmp -j ACCEPT\nCOMMIT\n');
    published.delete(save);
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: save, version: 2 },
      contentChanges: [{ range: { start: { line: 10, character: 0 }, end: { line: 10, character: 0 } }, text: 'COMMIT\n' }],
    });
    assert.deepEqual((await until(save)).diagnostics, []);

    const symbols = (await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri: save } })) as { name: string; range: { start: { line: number }; end: { line: number } }; children: { name: string }[] }[];
    assert.deepEqual(symbols.map((t) => [t.name, t.range.start.line, t.range.end.line, t.children.map((c) => c.name)]), [
      ['nat', 0, 2, ['PREROUTING']],
      ['filter', 3, 10, ['INPUT', 'ssh-in']],
    ]);
    const folds = (await conn.sendRequest('textDocument/foldingRange', { textDocument: { uri: save } })) as { startLine: number; endLine: number }[];
    assert.deepEqual(folds.map((f) => [f.startLine, f.endLine]), [[0, 2], [3, 10]]);

    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
  } finally {
    conn.dispose();
    child.kill();
  }
});

/**
 * The server loads its core when the client says `initialized`. What a client sends right
 * behind that notification, in the same write, must still reach the loaded handlers.
 */
test('messages sent in one write with `initialized` are all handled', { skip: needBuild() }, async () => {
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const frame = (m: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...m });
    return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const seen = async (pattern: RegExp) => {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(out)) {
      assert.ok(Date.now() < deadline, `not seen: ${pattern}; got ${out.slice(0, 3000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    child.stdin.write(frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }));
    await seen(/"id":1,"result"/);
    const uri = 'file:///tmp/one-write.rules';
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j nowhere\nCOMMIT\n';
    child.stdin.write(
      frame({ method: 'initialized', params: {} }) +
        frame({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'iptables-save', version: 1, text } } }) +
        frame({ id: 2, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 1, character: 2 } } }),
    );
    await Promise.all([seen(/"code":"undefined-chain"/), seen(/"id":2,"result":\{"range".*?"contents"/)]);
  } finally {
    child.kill();
  }
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { kubeProxyDump } from '../support/kubeDump.ts';
import { dist, needBuild } from '../support/paths.ts';

/**
 * The outline, the lens places and the semantic tokens of a kube-proxy dump are megabytes of JSON. Over --stdio the
 * server writes them as the pieces it made in steps (PiecewiseStreamWriter); over --node-ipc
 * Node serializes them. Both must give the client the same replies.
 */
async function replies(transport: '--stdio' | '--node-ipc', text: string): Promise<{ symbols: unknown; lenses: unknown; tokens: { data: number[] } }> {
  const ipc = transport === '--node-ipc';
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), transport], { stdio: ipc ? ['pipe', 'pipe', 'inherit', 'ipc'] : ['pipe', 'pipe', 'inherit'] });
  const conn: MessageConnection = ipc ? createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child)) : createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification('initialized', {});
    const uri = 'file:///big/kube.rules';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iptables-save', version: 1, text } });
    const doc = { textDocument: { uri } };
    const [symbols, lenses, tokens] = await Promise.all([
      conn.sendRequest('textDocument/documentSymbol', doc),
      conn.sendRequest('textDocument/codeLens', doc),
      conn.sendRequest<{ data: number[] }>('textDocument/semanticTokens/full', doc),
    ]);
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    return { symbols, lenses, tokens };
  } finally {
    conn.dispose();
    child.kill();
  }
}

test('the outline, lens places and semantic tokens of a kube-proxy dump are the same over --stdio and --node-ipc', { skip: needBuild() }, async () => {
  const text = kubeProxyDump(5000).text;
  const [stdio, ipc] = await Promise.all([replies('--stdio', text), replies('--node-ipc', text)]);
  const chains = (stdio.symbols as { children: unknown[] }[]).reduce((n, t) => n + t.children.length, 0);
  assert.ok(chains > 1000, `${chains} chains in the outline`);
  assert.ok((stdio.lenses as unknown[]).length > 1000);
  assert.deepEqual(stdio.symbols, ipc.symbols);
  assert.deepEqual(stdio.lenses, ipc.lenses);
  assert.ok(Array.isArray(stdio.tokens.data) && stdio.tokens.data.length > 5 * 10_000);
  assert.deepEqual(stdio.tokens.data, ipc.tokens.data);
});

test('over --stdio, console output of the server goes to stderr and the protocol stays intact', { skip: needBuild(), timeout: 30_000 }, async () => {
  // a console.log and a console.dir from code loaded before the server, run once it has started
  const noise = "setTimeout(() => { console.log('noise from console.log'); console.dir({ noise: 'from console.dir' }); }, 300)";
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(noise)}` } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await conn.sendNotification('initialized', {});
    await new Promise((r) => setTimeout(r, 500));
    const uri = 'file:///noise.rules';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iptables-save', version: 1, text: '*filter\n:INPUT DROP [0:0]\n:svc - [0:0]\n-A INPUT -j svc\nCOMMIT\n' } });
    const symbols = (await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string }[];
    assert.deepEqual(symbols.map((s) => s.name), ['filter']);
    assert.match(stderr, /noise from console\.log/);
    assert.match(stderr, /from console\.dir/);
  } finally {
    conn.dispose();
    child.kill();
  }
});

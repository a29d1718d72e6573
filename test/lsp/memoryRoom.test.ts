import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptModelBytes, modelHeapBytes } from '../../server/src/core/limits.ts';
import { HEAP_RESERVE } from '../../server/src/node/heapRoom.ts';
import { serverExecArgv, serverProcessEnv } from '../../server/src/node/serverProcessEnv.ts';
import { kubeProxyDump, routerScript } from '../support/kubeDump.ts';
import { LspClient } from '../support/lspClient.ts';
import { TRACE_REQUEST, type TraceResult } from '../../server/src/lsp/traceProtocol.ts';
import { needBuild } from '../support/paths.ts';

/**
 * The built language server given a small heap (`--max-old-space-size`, as Node sizes it on a
 * machine with little memory): a document whose model would not fit is left without one and
 * says so, where the server was killed by V8 and every open document's findings went with it.
 */
const skip = needBuild();
const MB = 1024 * 1024;
const script = routerScript(20_000).text;
const small = 'file:///memory/small.rules';

async function server(heapMB: number, run: (c: LspClient) => Promise<void>): Promise<void> {
  const c = new LspClient(serverProcessEnv(), [...serverExecArgv(), `--max-old-space-size=${heapMB}`]);
  let exited = false;
  void c.exited.then(() => (exited = true));
  try {
    await c.start();
    await c.open(small, 'iptables-save', '*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
    await c.diagnosticsOf(small);
    await run(c);
    assert.equal(exited, false, 'the server is still running');
  } finally {
    if (!exited) await c.stop();
  }
}

const codes = (c: LspClient, uri: string) => (c.published.get(uri)?.diagnostics ?? []).map((d) => [d.code, d.range.start.line]);

test('a script whose model would not fit in the heap: analysis-skipped on its first line, and the server goes on answering', { skip }, async () => {
  // 2.4 MB of router script, about 170 MB of heap to model, where the server has 128 MB in all
  assert.ok(modelHeapBytes(script.length, 'script') > 128 * MB - HEAP_RESERVE);
  await server(128, async (c) => {
    const uri = 'file:///memory/router.sh';
    await c.open(uri, 'shellscript', script);
    await c.diagnosticsOf(uri, 30_000);
    assert.deepEqual(codes(c, uri), [['analysis-skipped', 0]]);
    // no model to follow a packet through: the trace says why, as the finding does
    const traced = await c.request<TraceResult>(TRACE_REQUEST, { uri, packet: 'in=eth0 out=eth1 proto=tcp dst=203.0.113.1 dport=80' });
    assert.ok('documentError' in traced && traced.documentError === c.published.get(uri)?.diagnostics[0].message, JSON.stringify(traced).slice(0, 300));
    const hover = await c.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri: small }, position: { line: 1, character: 24 } });
    assert.ok(hover, 'a hover on the small file is answered');
  });
});

test('closing a modelled document makes room: the one left without a model is judged then', { skip }, async () => {
  const dump = kubeProxyDump(30_000).text;
  // 256 MB (V8's limit is 12 MB over it here, the young generation): the script alone fits
  // (about 165 MB), not beside the dump's model (about 55 MB kept)
  const room = 256 * MB - HEAP_RESERVE;
  assert.ok(modelHeapBytes(script.length, 'script') < room);
  assert.ok(modelHeapBytes(script.length, 'script') > room + 16 * MB - keptModelBytes(dump.length, 'save'));
  await server(256, async (c) => {
    const dumpUri = 'file:///memory/kube.rules';
    const uri = 'file:///memory/router.sh';
    await c.open(dumpUri, 'iptables-save', dump);
    await c.diagnosticsOf(dumpUri, 30_000);
    await c.open(uri, 'shellscript', script);
    await c.diagnosticsOf(uri, 30_000);
    assert.deepEqual(codes(c, uri), [['analysis-skipped', 0]]);
    c.published.delete(uri);
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: dumpUri } });
    await c.diagnosticsOf(uri, 60_000);
    const found = codes(c, uri);
    assert.ok(found.length > 0 && found.every(([code]) => code !== 'analysis-skipped' && code !== 'internal-error'), JSON.stringify(found));
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kubeProxyDump, routerScript } from '../support/kubeDump.ts';
import { positionAt, smallFileBeside } from '../support/busyServer.ts';
import { LspClient } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * A big document opened (over 200 KB: a 2.9 MB dump, a 360 KB router script): the built server
 * makes its model and first findings in slices in its background queue, answering requests about other documents meanwhile, and
 * those about the opening one as if it were not open yet; the whole-document answers asked for
 * it wait behind it and are whole.
 */
const skip = needBuild();

test('requests are answered while a big dump is opened; those about it wait or get nothing until its findings are out', { skip }, async () => {
  const c = new LspClient();
  try {
    await c.start();
    const small = await smallFileBeside(c, 'iptables-big-open');
    const big = 'file:///tmp/iptables-big-open/kube.rules';
    const dump = kubeProxyDump(20_000).text;
    assert.ok(dump.length > 2_000_000, `${dump.length} characters`);
    await c.open(big, 'iptables-save', dump);
    const outline = c.request<{ name: string; children?: unknown[] }[]>('textDocument/documentSymbol', { textDocument: { uri: big } });
    const hoverBig = await c.request<unknown>('textDocument/hover', { textDocument: { uri: big }, position: { line: 10, character: 4 } });
    await small.hover();
    // answered before the big file's findings: on the server's one thread, made at once, they came first
    assert.equal(c.published.has(big), false, 'the big file was judged before the hover on another document was answered');
    assert.equal(hoverBig, null);
    const symbols = await outline;
    assert.deepEqual(symbols.map((s) => s.name), ['filter', 'nat']);
    assert.ok((symbols[1].children?.length ?? 0) > 1000, `${symbols[1].children?.length} chains in nat`);
    const found = await c.diagnosticsOf(big, 60_000);
    assert.equal(c.published.get(big)?.version, 1);
    assert.ok(Array.isArray(found));
    assert.notEqual(await c.request('textDocument/hover', { textDocument: { uri: big }, position: { line: 10, character: 4 } }), null);
  } finally {
    await c.stop();
  }
});

test('an edit typed while a big dump opens: its findings are those of the edited text, and requests about other documents are answered meanwhile', { skip }, async () => {
  const c = new LspClient();
  try {
    await c.start();
    const small = await smallFileBeside(c, 'iptables-big-open');
    const big = 'file:///tmp/iptables-big-open/kube.rules';
    const dump = kubeProxyDump(20_000).text;
    await c.open(big, 'iptables-save', dump);
    // a port made a word on the first rule that has one
    const at = dump.indexOf('--dport ') + '--dport '.length;
    const { line, character } = positionAt(dump, at);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: big, version: 2 }, contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: 'x' }] });
    await small.hover();
    assert.equal(c.published.has(big), false, 'the big file was judged before the hover on another document was answered');
    const found = await c.diagnosticsOf(big, 60_000);
    assert.equal(c.published.get(big)?.version, 2);
    assert.equal(c.publishCount.get(big), 1, 'findings of the text before the edit were pushed');
    assert.ok(
      found.some((d) => d.code === 'invalid-value' && d.range.start.line === line && d.range.start.character === character),
      JSON.stringify(found.filter((d) => d.range.start.line === line)),
    );
  } finally {
    await c.stop();
  }
});

test('a long router script opens in steps too: a hover on another document is answered before its findings', { skip }, async () => {
  const c = new LspClient();
  try {
    await c.start();
    const small = await smallFileBeside(c, 'iptables-big-open');
    const script = 'file:///tmp/iptables-big-open/router.sh';
    const text = routerScript(3000).text;
    assert.ok(text.length > 200_000, `${text.length} characters`);
    await c.open(script, 'shellscript', text);
    const hoverScript = await c.request<unknown>('textDocument/hover', { textDocument: { uri: script }, position: { line: 12, character: 8 } });
    await small.hover();
    assert.equal(c.published.has(script), false, 'the script was judged before the hover on another document was answered');
    assert.equal(hoverScript, null);
    await c.diagnosticsOf(script, 60_000);
    assert.equal(c.published.get(script)?.version, 1);
    assert.notEqual(await c.request('textDocument/hover', { textDocument: { uri: script }, position: { line: 12, character: 8 } }), null);
  } finally {
    await c.stop();
  }
});

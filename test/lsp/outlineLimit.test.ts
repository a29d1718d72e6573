import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { kubeProxyDump } from '../support/kubeDump.ts';
import { dist, needBuild } from '../support/paths.ts';

type Sym = { name: string; detail?: string; children?: Sym[] };

/**
 * A kube-proxy dump of 16,000 rules has about 5,800 chains: past the outline's default limit of
 * 5,000. The limit follows `iptables.outline.maxChains` as the editor sets it, and the log says
 * once per document and limit that chains were left out.
 */
test('the outline of a big dump lists 5,000 chains, or as many as iptables.outline.maxChains says, and the log says so once', { skip: needBuild() }, async () => {
  const text = kubeProxyDump(16_000).text;
  const uri = 'file:///work/kube.rules';
  let outline: Record<string, unknown> | undefined;
  const logged: string[] = [];
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', () => [outline === undefined ? { lint: { rules: {} } } : { lint: { rules: {} }, outline }]);
  conn.onNotification('window/logMessage', (p: { message: string }) => void logged.push(p.message));
  const published = new Promise<void>((resolve) => conn.onNotification('textDocument/publishDiagnostics', () => resolve()));
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iptables', version: 1, text } });
    await published;
    const chains = (s: Sym[]) => s.flatMap((t) => t.children ?? []).length;
    const cutLines = () => logged.filter((m) => m.includes('iptables.outline.maxChains'));
    const ask = () => conn.sendRequest<Sym[]>('textDocument/documentSymbol', { textDocument: { uri } });
    // the declared chains: every `:name` line
    const total = text.split('\n').filter((l) => l.startsWith(':')).length;
    assert.ok(total > 5000, `${total} chains`);

    const first = await ask();
    assert.equal(chains(first), 5000);
    assert.deepEqual(first.map((t) => t.name), ['filter', 'nat']);
    const left = first.map((t) => Number(/, (\d+) not listed/.exec(t.detail ?? '')?.[1] ?? 0));
    assert.equal(left.reduce((a, b) => a + b, 0), total - 5000, JSON.stringify(first.map((t) => t.detail)));
    await ask();
    assert.equal(cutLines().length, 1, 'said once for the document and the limit');

    // the server asks for the settings again when told they changed: the outline follows
    const setting = async (value: unknown, expect: number): Promise<Sym[]> => {
      outline = { maxChains: value };
      await conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const deadline = Date.now() + 10_000;
      let s = await ask();
      while (chains(s) !== expect && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        s = await ask();
      }
      return s;
    };
    assert.equal(chains(await setting(100, 100)), 100);
    assert.equal(cutLines().length, 2, 'said again for the new limit');
    const all = await setting(100_000, total);
    assert.equal(chains(all), total);
    assert.ok(all.every((t) => !/not listed/.test(t.detail ?? '')));
    const none = await setting(0, 0);
    assert.deepEqual([none.map((t) => t.name), chains(none)], [['filter', 'nat'], 0]);
    // a value that is not a whole number of at least 0 leaves the default
    assert.equal(chains(await setting(-3, 5000)), 5000);
    assert.equal(chains(await setting(100, 100)), 100);
    assert.equal(chains(await setting('many', 5000)), 5000);
  } finally {
    await conn.sendRequest('shutdown').catch(() => undefined);
    await conn.sendNotification('exit').catch(() => undefined);
    conn.dispose();
    child.kill();
  }
});

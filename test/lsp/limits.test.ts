import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { kubeProxyDump } from '../support/kubeDump.ts';
import { dist, needBuild } from '../support/paths.ts';

type Sym = { name: string; detail?: string; children?: Sym[] };
type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
type Lens = { range: Range; data?: unknown; command?: { title: string; command: string } };

/**
 * A kube-proxy dump of 16,000 rules has about 5,800 chains and 4,400 DNAT rules: past the
 * default limits of the outline (5,000 chains) and of the code lenses (5,000). The limits
 * follow the settings as the editor gives them (`workspace/configuration`).
 */
const text = kubeProxyDump(16_000).text;
const uri = 'file:///work/kube.rules';

/** A server with the dump open; `settings` is what it is told the editor's `iptables` section holds (changed with `set`). */
async function session(run: (s: { conn: MessageConnection; logged: string[]; set: (section: Record<string, unknown>, until: () => Promise<boolean>) => Promise<void> }) => Promise<void>): Promise<void> {
  let settings: Record<string, unknown> = { lint: { rules: {} } };
  const logged: string[] = [];
  const child = spawn(process.execPath, [dist('iptables-language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', () => [settings]);
  conn.onNotification('window/logMessage', (p: { message: string }) => void logged.push(p.message));
  const published = new Promise<void>((resolve) => conn.onNotification('textDocument/publishDiagnostics', () => resolve()));
  conn.listen();
  // the server asks for the settings again when told they changed: polled until they show
  const set = async (section: Record<string, unknown>, until: () => Promise<boolean>) => {
    settings = { lint: { rules: {} }, ...section };
    await conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const deadline = Date.now() + 10_000;
    while (!(await until())) {
      assert.ok(Date.now() < deadline, `the settings ${JSON.stringify(section)} taken in`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await conn.sendNotification('initialized', {});
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iptables', version: 1, text } });
    await published;
    await run({ conn, logged, set });
  } finally {
    await conn.sendRequest('shutdown').catch(() => undefined);
    await conn.sendNotification('exit').catch(() => undefined);
    conn.dispose();
    child.kill();
  }
}

test('the outline of a big dump lists 5,000 chains, or as many as iptables.outline.maxChains says, and the log says so once', { skip: needBuild() }, async () => {
  await session(async ({ conn, logged, set }) => {
    const ask = () => conn.sendRequest<Sym[]>('textDocument/documentSymbol', { textDocument: { uri } });
    const chains = (s: Sym[]) => s.flatMap((t) => t.children ?? []).length;
    const cutLines = () => logged.filter((m) => m.includes('iptables.outline.maxChains'));
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

    const outline = async (value: unknown, expect: number) => {
      let got: Sym[] = [];
      await set({ outline: { maxChains: value } }, async () => chains((got = await ask())) === expect);
      return got;
    };
    await outline(100, 100);
    assert.equal(cutLines().length, 2, 'said again for the new limit');
    assert.ok((await outline(100_000, total)).every((t) => !/not listed/.test(t.detail ?? '')));
    assert.deepEqual((await outline(0, 0)).map((t) => t.name), ['filter', 'nat']);
    // a value that is not a whole number of at least 0 leaves the default
    await outline(-3, 5000);
    await outline(100, 100);
    await outline('many', 5000);
  });
});

test('a big dump shows the first 5,000 code lenses, or as many as iptables.codeLens.maxLenses says, and one more says how many are left out', { skip: needBuild() }, async () => {
  await session(async ({ conn, set }) => {
    const ask = () => conn.sendRequest<Lens[]>('textDocument/codeLens', { textDocument: { uri } });
    const resolve = (l: Lens) => conn.sendRequest<Lens>('codeLens/resolve', l);
    let all: Lens[] = [];
    await set({ codeLens: { maxLenses: 1_000_000 } }, async () => (all = await ask()).length > 5001);
    const total = all.length;
    const key = (r: Range) => r.start.line * 1e6 + r.start.character;
    const firsts = all.map((l) => key(l.range)).sort((a, b) => a - b);

    for (const [max, expect] of [[5000, 5000], [10, 10], [0, 0]] as const) {
      let lenses: Lens[] = [];
      await set(max === 5000 ? {} : { codeLens: { maxLenses: max } }, async () => (lenses = await ask()).length === expect + 1);
      // the first ones in the file, then the one saying how many are left out, where the next would stand
      assert.deepEqual(lenses.slice(0, expect).map((l) => key(l.range)), firsts.slice(0, expect), `limit ${max}`);
      const limit = lenses[expect];
      assert.equal(key(limit.range), firsts[expect], `limit ${max}: the lens saying so stands where the next would`);
      const said = await resolve(limit);
      assert.equal(said.command?.command, '', 'a lens with nothing to run');
      assert.match(said.command?.title ?? '', new RegExp(`^${total - expect} more .*${max}.*iptables\\.codeLens\\.maxLenses`));
      if (expect) assert.match((await resolve(lenses[0])).command?.title ?? '', /reference|rule|Trace/);
    }
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { kubeProxyDump, routerScript } from '../support/kubeDump.ts';
import { LspClient, sharedServer } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * The built language server under load: huge, binary and odd files, many documents, edits
 * faster than analysis, requests the client gives up on. It must keep answering, say what it
 * skips, and not grow without bound.
 */
const skip = needBuild();

interface Published {
  uri: string;
  version?: number;
  diagnostics: { code: string; severity?: number; range: { start: { line: number; character: number } } }[];
}

const published: Published[] = [];
/** When the shared server last said it released memory while idle (performance.now()). */
let lastRelease = 0;

const client = sharedServer(skip, async (c) => {
  c.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => void published.push(p));
  c.conn.onNotification('window/logMessage', (p: { message: string }) => {
    if (p.message.startsWith('Memory released')) lastRelease = performance.now();
  });
  await c.start();
});

function diagnosticsFor(uri: string, version: number, timeoutMs: number): Promise<Published> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const hit = published.findLast((p) => p.uri === uri && p.version === version);
      if (hit) return resolve(hit);
      if (Date.now() > deadline) return reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`));
      setTimeout(poll, 5);
    };
    poll();
  });
}

/** A server's RSS in MB: the shared one's unless another is named. */
const rssMB = (pid = client().pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function hoverMs(uri: string, line: number, character: number): Promise<number> {
  const t = performance.now();
  await client().request('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  return performance.now() - t;
}

test('a 50 MB dump: one analysis-skipped finding, no model, the server stays small and answers', { skip }, async () => {
  let text = kubeProxyDump(100_000).text;
  while (text.length < 50_000_000) text += text;
  const uri = 'file:///load/huge.rules';
  const t0 = performance.now();
  await client().open(uri, 'iptables-save', text);
  const p = await diagnosticsFor(uri, 1, 20_000);
  const openMs = performance.now() - t0;
  assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line]), [['analysis-skipped', 0]]);
  assert.ok((await hoverMs(uri, 40, 5)) < 500);
  const rss = rssMB();
  console.log(`50 MB file: diagnostics after ${openMs.toFixed(0)} ms, server RSS ${rss.toFixed(0)} MB`);
  // the text is held twice (the LSP document and the model's copy) and nothing else
  assert.ok(rss < 600, `RSS ${rss.toFixed(0)} MB`);
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('a 200,000-character line is reported, not choked on', { skip }, async () => {
  const uri = 'file:///load/long-line.rules';
  const long = `-A INPUT -s 10.0.0.1 -m comment --comment "${'x'.repeat(200_000)}" -j ACCEPT`;
  await client().open(uri, 'iptables-save', `*filter\n${long}\n-A INPUT -p tcp --dport 70000 -j ACCEPT\nCOMMIT\n`);
  const p = await diagnosticsFor(uri, 1, 10_000);
  // the long comment is cut at 255 characters (a warning); the line after it is still read: its port is out of range
  assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character]), [['invalid-value', 2, 1, 42], ['invalid-value', 1, 2, 24]]);
  assert.ok((await hoverMs(uri, 2, 14)) < 500);
});

test('a binary file: analysis-skipped at the first NUL byte, nothing else', { skip }, async () => {
  const uri = 'file:///load/a.out.rules';
  const bytes = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 37) % 256)).join('');
  await client().open(uri, 'iptables-save', `\u007fELF\u0002\u0001\u0001\u0000${bytes}`);
  const p = await diagnosticsFor(uri, 1, 10_000);
  assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['analysis-skipped', 0, 7]]);
});

test('100 open documents, opened and closed three times: all analysed, memory does not climb', { skip }, async () => {
  const base = routerScript(200).text;
  const rounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    const uris = Array.from({ length: 100 }, (_, i) => `file:///load/many/${round}/fw${i}.sh`);
    for (const [i, uri] of uris.entries()) await client().open(uri, 'shellscript', base.replace('192.168.', `10.${i}.`));
    for (const uri of uris) {
      const p = await diagnosticsFor(uri, 1, 20_000);
      assert.ok(p.diagnostics.every((d) => d.code !== 'internal-error'));
    }
    assert.ok((await hoverMs(uris[99], 12, 30)) < 200);
    for (const uri of uris) await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await hoverMs('file:///load/none', 0, 0);
    // RSS read at once depends on when V8 last collected: under load one run read 299 / 435 /
    // 573 MB, others about 300 / 400 / 400. What stays is what the server holds once quiet.
    await quietCollectionsDone();
    rounds.push(rssMB());
  }
  console.log(`100 documents: server RSS once quiet after each round ${rounds.map((r) => r.toFixed(0)).join(' / ')} MB`);
  assert.ok(rounds[2] < rounds[0] * 1.5 + 50, `RSS grew: ${rounds.join(', ')}`);
});

test('edits faster than analysis: the newest version is analysed, older ones are skipped', { skip }, async () => {
  const text = kubeProxyDump(10_000).text;
  const lines = text.split('\n');
  const target = lines.findIndex((l) => l.includes('--dport 80 -j KUBE-SVC'));
  const at = lines[target].indexOf('--dport 80') + 8;
  const uri = 'file:///load/rapid.rules';
  await client().open(uri, 'iptables-save', text);
  await diagnosticsFor(uri, 1, 30_000);
  const before = published.length;
  const t0 = performance.now();
  for (let v = 2; v <= 101; v++) {
    // the last edit leaves a port out of range, which the final analysis must find in place
    void client().conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: target, character: at }, end: { line: target, character: at + 2 } }, text: v === 101 ? '99999' : String(10 + (v % 80)) }],
    });
  }
  const last = await diagnosticsFor(uri, 101, 30_000);
  const ms = performance.now() - t0;
  const runs = published.slice(before).filter((p) => p.uri === uri).length;
  console.log(`100 rapid edits on 10k rules: ${runs} analyses, final diagnostics after ${ms.toFixed(0)} ms`);
  assert.ok(runs < 50, `${runs} analyses for 100 edits`);
  assert.deepEqual(last.diagnostics.filter((d) => d.code !== 'missing-ip-forward').map((d) => [d.code, d.range.start.line, d.range.start.character]), [['invalid-value', target, at]]);
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('requests the client cancels are answered RequestCancelled or normally; the server goes on', { skip }, async () => {
  const uri = 'file:///load/cancel.rules';
  await client().open(uri, 'iptables-save', kubeProxyDump(1000).text);
  await diagnosticsFor(uri, 1, 10_000);
  const outcomes = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => {
      const source = new CancellationTokenSource();
      const method = i % 2 ? 'textDocument/hover' : 'textDocument/completion';
      const pending = client().conn.sendRequest(method, { textDocument: { uri }, position: { line: 40 + i, character: 4 } }, source.token);
      source.cancel();
      try {
        await pending;
        return 'answered';
      } catch (e) {
        return (e as { code?: number }).code === -32800 ? 'cancelled' : `error ${String(e)}`;
      }
    }),
  );
  assert.ok(outcomes.every((o) => o === 'answered' || o === 'cancelled'), outcomes.join(', '));
  assert.ok(outcomes.includes('cancelled'), 'at least one request was dropped once cancelled');
  assert.ok((await hoverMs(uri, 40, 4)) < 200);
});

test('memory taken by edits and by a closed document is given back once the server is quiet', { skip }, async () => {
  // a server of its own: what is released depends on what the heap held before
  const server = new LspClient();
  const published: Published[] = [];
  server.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => void published.push(p));
  await server.start();
  const versionPublished = (uri: string, version: number) => waitUntil(() => published.some((p) => p.uri === uri && p.version === version), 30_000, `diagnostics of v${version}`);
  const rss = () => rssMB(server.pid);
  const released: { before: number; after: number }[] = [];
  server.conn.onNotification('window/logMessage', (p: { message: string }) => {
    const m = /heap (\d+) → (\d+) MB/.exec(p.message);
    if (m) released.push({ before: Number(m[1]), after: Number(m[2]) });
  });
  const releaseAfter = async (count: number): Promise<{ before: number; after: number }> => {
    await waitUntil(() => released.length >= count, 15_000, 'a release of memory once quiet');
    return released[count - 1];
  };
  try {
    const text = kubeProxyDump(30_000).text;
    const lines = text.split('\n');
    const target = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('--dport 80 -j KUBE-SVC'));
    const at = lines[target].indexOf('--dport 80') + 10;
    const uri = 'file:///load/released.rules';
    await server.open(uri, 'iptables-save', text);
    await versionPublished(uri, 1);
    // the open itself leaves the parse's garbage: one release once the document is ready
    const first = await releaseAfter(released.length + 1);
    const rssOpen = rss();
    // typing: each edit leaves garbage (the replaced lines, the pieces of the 4.4 MB text)
    for (let v = 2; v <= 61; v++) {
      const typed = v % 2 === 0;
      void server.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: target, character: at }, end: { line: target, character: typed ? at : at + 1 } }, text: typed ? '1' : '' }],
      });
      await versionPublished(uri, v);
    }
    const rssTyped = rss();
    // quiet: what V8 did not collect by itself while the edits came is collected now (when it
    // is worth a collection: V8 may have left less than the threshold), a compacting collection
    // after 3 s (see MemoryRelease)
    const count = released.length;
    await new Promise((r) => setTimeout(r, 5000));
    const rssQuiet = rss();
    const edits = released[count];
    console.log(`30k rules: RSS ${rssOpen.toFixed(0)} MB open, ${rssTyped.toFixed(0)} MB after 60 edits, ${rssQuiet.toFixed(0)} MB once quiet` + (edits ? ` (heap ${edits.before} → ${edits.after} MB)` : ''));
    if (edits) assert.ok(edits.after < first.after * 1.25 + 20, `heap ${edits.after} MB after the edits, ${first.after} MB after the open`);
    assert.ok(rssQuiet < rssOpen * 1.15 + 20, `RSS ${rssQuiet.toFixed(0)} MB once quiet, ${rssOpen.toFixed(0)} MB open`);
    // closing the document: its model is garbage, given back at the next quiet moment
    await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const closed = await releaseAfter(released.length + 1);
    assert.ok(closed.after < first.after / 2, `heap ${closed.before} → ${closed.after} MB after closing, ${first.after} MB with the document open`);
    // and the pages it was in go back to the system: a thorough collection, at once or after
    // 3 s of quiet when a regular one left them held (see MemoryRelease)
    await new Promise((r) => setTimeout(r, 4000));
    const rssClosed = rss();
    console.log(`30k rules closed: RSS ${rssClosed.toFixed(0)} MB once quiet`);
    assert.ok(rssClosed < rssOpen * 0.75, `RSS ${rssClosed.toFixed(0)} MB once closed and quiet, ${rssOpen.toFixed(0)} MB open`);
  } finally {
    await server.stop();
  }
});

test('a closed document leaves none of its text in the server (heap snapshot)', { skip }, async () => {
  // The server's heap is written out (V8's snapshot, on SIGUSR2) after a save file and a
  // script were opened, asked about and closed; their first lines carry a mark found nowhere
  // else. A string the server keeps that was cut from a document's text keeps all of that
  // text: an option name kept for every later document (`--to-destination`, cut from the
  // first file that had it) held a 15 MB dump after it was closed. The snapshot names a
  // string by its first 1024 characters, so the mark opens each file.
  const dir = mkdtempSync(join(tmpdir(), 'closed-text-'));
  const server = new LspClient({ NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}` });
  const published: Published[] = [];
  server.conn.onNotification('textDocument/publishDiagnostics', (p: Published) => void published.push(p));
  try {
    await server.start();
    const mark = `closed-${process.pid}-${Date.now().toString(36)}`;
    const files = [
      { uri: 'file:///load/closed.rules', languageId: 'iptables-save', text: `# ${mark}-save\n${kubeProxyDump(300).text}` },
      { uri: 'file:///load/closed.sh', languageId: 'shellscript', text: `#!/bin/sh\n# ${mark}-script\n${routerScript(300).text}\niptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 10.200.0.2:80\n` },
    ];
    for (const f of files) {
      await server.open(f.uri, f.languageId, f.text);
      await waitUntil(() => published.some((p) => p.uri === f.uri), 30_000, `diagnostics of ${f.uri}`);
      const doc = { textDocument: { uri: f.uri } };
      await Promise.all(['textDocument/documentSymbol', 'textDocument/codeLens', 'textDocument/semanticTokens/full', 'textDocument/foldingRange'].map((m) => server.request(m, doc)));
      await server.request('textDocument/hover', { ...doc, position: { line: 5, character: 4 } });
    }
    for (const f of files) await server.conn.sendNotification('textDocument/didClose', { textDocument: { uri: f.uri } });
    // a request answered after the closes: they have been handled
    await server.request('textDocument/hover', { textDocument: { uri: files[0].uri }, position: { line: 0, character: 0 } });
    // then a second of quiet: V8's optimizing compiler holds a function it compiles, with its
    // closure's variables, in a handle until the job ends. Written at once, 1 snapshot in 4
    // held the closed script that way (a chain-facts closure rooted in a handle scope, nothing
    // of the server's own); after the pause none of 8 did.
    await new Promise((r) => setTimeout(r, 1000));
    process.kill(server.pid!, 'SIGUSR2');
    const snapshot = await writtenFile(dir, '.heapsnapshot', 30_000);
    const heap = readFileSync(snapshot, 'utf8');
    assert.ok(heap.includes('"strings"'), 'a heap snapshot was written');
    const kept = ['save', 'script'].filter((kind) => heap.includes(`${mark}-${kind}`));
    assert.deepEqual(kept, [], `the text of the closed ${kept.join(' and ')} is still in the server's heap`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The file with that ending in `dir` once written: its size unchanged for half a second (a heap snapshot is written for a while). */
async function writtenFile(dir: string, ending: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let size = -1;
  let still = 0;
  for (;;) {
    const found = readdirSync(dir).find((f) => f.endsWith(ending));
    if (found) {
      const now = statSync(join(dir, found)).size;
      still = now > 0 && now === size ? still + 1 : 0;
      size = now;
      if (still >= 5) return join(dir, found);
    }
    if (Date.now() > deadline) assert.fail(`no ${ending} file written in ${dir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits out the shared server's collections once quiet: a regular one after 1 s without
 * activity, a compacting one 3 s later when that left far more held than live (see
 * MemoryRelease). Done when 4.5 s have passed since the last activity and the last release.
 */
async function quietCollectionsDone(): Promise<void> {
  const since = performance.now();
  while (performance.now() - Math.max(since, lastRelease) < 4500) await new Promise((r) => setTimeout(r, 100));
}

async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('an edit typed while the whole-document answers are worked out is analysed first; the tokens asked before it are refused (ContentModified) unless given before it, the outline given after it is of the edited text', { skip }, async () => {
  const uri = 'file:///load/typing.rules';
  const text = kubeProxyDump(30_000).text;
  const lines = text.split('\n');
  await client().open(uri, 'iptables-save', text);
  await diagnosticsFor(uri, 1, 30_000);
  const doc = { textDocument: { uri } };
  const line = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('-A ') && l.includes(' -j '));
  const at = lines[line].indexOf(' -j ') + 1;
  const typed = '-m comment --comment typed ';
  for (let round = 0; round < 4; round++) {
    const version = round + 2;
    const seen = () => published.some((p) => p.uri === uri && p.version === version);
    // for each answer: had the edit's diagnostics arrived before it?
    const after: Record<string, boolean> = {};
    const asked = <T>(name: string, method: string) => client().request<T>(method, doc).then((r) => ((after[name] = seen()), r));
    const tokens = asked<{ data: number[] }>('tokens', 'textDocument/semanticTokens/full').then(
      () => 'answered',
      (e: { code?: number }) => ((after.tokens = seen()), e.code === -32801 ? 'content modified' : `failed: ${String(e)}`),
    );
    const outline = asked<unknown>('outline', 'textDocument/documentSymbol');
    const answers = Promise.all([tokens, outline, asked('lenses', 'textDocument/codeLens')]);
    // the first job is under way (they start once the documents have been unused for 15 ms)
    await new Promise((resolve) => setTimeout(resolve, 25));
    // a word typed into a rule, then taken out again: the tokens after it on the line move
    const adding = round % 2 === 0;
    const range = { start: { line, character: at }, end: { line, character: adding ? at : at + typed.length } };
    void client().conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: adding ? typed : '' }] });
    await Promise.all([answers, diagnosticsFor(uri, version, 30_000)]);
    assert.ok(after.outline && after.lenses, `round ${round}: the edit was analysed before the outline and the lenses (${JSON.stringify(after)})`);
    // tokens are placed by the editor on the text it asked about: given before the edit, or refused
    assert.equal(await tokens, after.tokens ? 'content modified' : 'answered', `round ${round}: the tokens asked before the edit`);
    // the outline, given after the edit was seen, was worked out (or started over) on the edited text
    assert.deepEqual(await outline, await client().request('textDocument/documentSymbol', doc), `round ${round}: the outline is that of the edited text`);
  }
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test("a hover sent right behind the editor's whole-document requests is answered before them", { skip }, async () => {
  const uri = 'file:///load/busy.rules';
  await client().open(uri, 'iptables-save', kubeProxyDump(30_000).text);
  await diagnosticsFor(uri, 1, 30_000);
  const doc = { textDocument: { uri } };
  for (let round = 0; round < 3; round++) {
    const order: string[] = [];
    const sent = (name: string, method: string, params: unknown) => client().request(method, params).then(() => void order.push(name));
    await Promise.all([
      sent('tokens', 'textDocument/semanticTokens/full', doc),
      sent('outline', 'textDocument/documentSymbol', doc),
      sent('lenses', 'textDocument/codeLens', doc),
      sent('folding', 'textDocument/foldingRange', doc),
      sent('hover', 'textDocument/hover', { ...doc, position: { line: 12, character: 4 } }),
    ]);
    assert.equal(order[0], 'hover', `round ${round}: answered in the order ${order.join(', ')}`);
    // the whole-document answers keep the order they were asked in
    assert.deepEqual(order.slice(1), ['tokens', 'outline', 'lenses', 'folding']);
  }
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

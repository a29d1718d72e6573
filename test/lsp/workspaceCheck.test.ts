import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { sharedServer } from '../support/lspClient.ts';
import { kubeProxyDump } from '../support/kubeDump.ts';
import { needBuild } from '../support/paths.ts';

/**
 * `iptables/checkWorkspace` (the client's "Check All iptables Files in the Workspace"), through
 * the built server over stdio: the iptables files under a folder judged from disk as
 * `iptables-lint DIR` judges them, their findings pushed without the files being open, judged
 * again when the client says one changed, kept as on disk when one is opened and closed again,
 * cleared when one is gone.
 */
const skip = needBuild();
const client = sharedServer(skip);

const TYPO = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprt 22 -j ACCEPT\nCOMMIT\n';
const CLEAN = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';

interface Reply {
  files: number;
  errors: number;
  warnings: number;
  superseded?: true;
}

const at = (uri: string) => client().published.get(uri)?.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('the iptables files of a folder are judged from disk and their findings pushed; other files are passed over', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-check-'));
  mkdirSync(join(dir, 'router'));
  writeFileSync(join(dir, 'rules.v4'), TYPO);
  writeFileSync(join(dir, 'router', 'fw.sh'), '#!/bin/sh\nsysctl -w net.ipv4.ip_forward=1\niptables -t nat -A POSTROUTING -o eth0 -j MASQERADE\n');
  writeFileSync(join(dir, 'README.md'), 'iptables -A INPUT -p tcp --dprt 22 -j ACCEPT\n');
  writeFileSync(join(dir, 'install.sh'), '#!/bin/sh\necho "no rules here"\n');
  const v4 = pathToFileURL(join(dir, 'rules.v4')).href;
  const script = pathToFileURL(join(dir, 'router', 'fw.sh')).href;
  const reply = await client().request<Reply>('iptables/checkWorkspace', { folders: [pathToFileURL(dir).href] });
  assert.deepEqual(reply, { files: 2, errors: 2, warnings: 0 });
  assert.deepEqual(at(v4), ['unknown-option@2:16']);
  assert.deepEqual(at(script), ['unknown-target@2:42']);
  for (const other of ['README.md', 'install.sh']) assert.equal(client().published.get(pathToFileURL(join(dir, other)).href), undefined, other);

  // mended on disk by another program: judged again when the client says so
  writeFileSync(join(dir, 'rules.v4'), CLEAN);
  client().published.delete(v4);
  await client().conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: v4, type: 2 }] });
  await until('rules.v4 judged again', () => at(v4) !== undefined);
  assert.deepEqual(at(v4), []);

  // opened and typed into: its findings are the editor's; closed unsaved: the file's on disk again
  writeFileSync(join(dir, 'rules.v4'), TYPO);
  await client().open(v4, 'iptables-save', CLEAN.replace('ACCEPT\nCOMMIT', 'ACCPT\nCOMMIT'));
  await until('the open document judged', () => (at(v4) ?? []).some((c) => c.startsWith('unknown-target')));
  client().published.delete(v4);
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri: v4 } });
  await until('rules.v4 judged from disk once closed', () => at(v4) !== undefined);
  assert.deepEqual(at(v4), ['unknown-option@2:16']);

  // gone: cleared, at the change and at the next check alike
  rmSync(join(dir, 'router', 'fw.sh'));
  client().published.delete(script);
  await client().conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: script, type: 3 }] });
  await until('fw.sh cleared', () => at(script) !== undefined);
  assert.deepEqual(at(script), []);
  rmSync(join(dir, 'rules.v4'));
  client().published.delete(v4);
  assert.deepEqual(await client().request<Reply>('iptables/checkWorkspace', { folders: [pathToFileURL(dir).href] }), { files: 0, errors: 0, warnings: 0 });
  assert.deepEqual(at(v4), []);
});

test('a check started while another runs stops the first', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-check-'));
  for (let i = 0; i < 40; i++) writeFileSync(join(dir, `r${String(i).padStart(2, '0')}.rules`), TYPO);
  const folders = [pathToFileURL(dir).href];
  const [first, second] = await Promise.all([client().request<Reply>('iptables/checkWorkspace', { folders }), client().request<Reply>('iptables/checkWorkspace', { folders })]);
  assert.equal(first.superseded, true);
  assert.deepEqual(second, { files: 40, errors: 40, warnings: 0 });
});

test('requests are answered while a big dump of the folder is judged (in the server\'s judging thread)', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-check-'));
  const dump = kubeProxyDump(60_000);
  writeFileSync(join(dir, 'kube.rules'), dump.text);
  const open = pathToFileURL(join(dir, 'open.rules')).href;
  await client().open(open, 'iptables-save', CLEAN);
  await until('the open document judged', () => at(open) !== undefined);
  const started = performance.now();
  let done = false;
  const check = client()
    .request<Reply>('iptables/checkWorkspace', { folders: [pathToFileURL(dir).href] })
    .finally(() => (done = true));
  const waits: number[] = [];
  while (!done) {
    const sent = performance.now();
    await client().request('textDocument/hover', { textDocument: { uri: open }, position: { line: 2, character: 4 } });
    waits.push(performance.now() - sent);
    await new Promise((r) => setTimeout(r, 20));
  }
  const reply = await check;
  const took = performance.now() - started;
  assert.equal(reply.files, 1);
  const published = client().published.get(pathToFileURL(join(dir, 'kube.rules')).href)?.diagnostics ?? [];
  assert.equal(published.filter((d) => d.severity === 1 || d.severity === 2).length, reply.errors + reply.warnings);
  // judged on the server's own thread, one hover waited for most of the dump's judgement
  const longest = Math.max(...waits);
  assert.ok(waits.length >= 5 && longest < took / 4, `the longest of ${waits.length} hovers waited ${longest.toFixed(0)} ms of a ${took.toFixed(0)} ms check`);
  await client().conn.sendNotification('textDocument/didClose', { textDocument: { uri: open } });
});

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { sharedServer } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * A rules file or script saved with a UTF-8 byte order mark, through the built server over stdio. The
 * editor's text leaves the mark out (VS Code's does, and keeps the mark when it saves), where
 * iptables-restore fails on line 1: the server reads it from the file on disk, and again when
 * the file is saved with another encoding.
 */
const skip = needBuild();

const client = sharedServer(skip);
const RULES = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

test('a save file with a byte order mark on disk: syntax-error at the start of line 1, gone once saved without it', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-bom-'));
  const path = join(dir, 'rules.v4');
  writeFileSync(path, Buffer.concat([BOM, Buffer.from(RULES)]));
  const uri = pathToFileURL(path).href;
  await client().open(uri, 'iptables-save', RULES);
  const found = (await client().diagnosticsOf(uri)).filter((d) => d.code === 'syntax-error');
  assert.deepEqual(found.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity]), [[0, 0, 0, 0, 1]]);
  // Save with Encoding, UTF-8: the same text, the file without the mark
  client().published.delete(uri);
  writeFileSync(path, RULES);
  await client().conn.sendNotification('textDocument/didSave', { textDocument: { uri } });
  assert.deepEqual((await client().diagnosticsOf(uri)).filter((d) => d.code === 'syntax-error'), []);
});

test('a script with a mark on disk gets the finding too; files without one do not', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-bom-'));
  const plain = join(dir, 'rules.v4');
  writeFileSync(plain, RULES);
  const scriptText = '#!/bin/sh\niptables -A INPUT -p tcp --dport 22 -j ACCEPT\n';
  const marked = join(dir, 'firewall.sh');
  writeFileSync(marked, Buffer.concat([BOM, Buffer.from(scriptText)]));
  const unmarked = join(dir, 'other.sh');
  writeFileSync(unmarked, scriptText);
  await client().open(pathToFileURL(plain).href, 'iptables-save', RULES);
  await client().open(pathToFileURL(marked).href, 'shellscript', scriptText);
  await client().open(pathToFileURL(unmarked).href, 'shellscript', scriptText);
  const places = async (path: string) => (await client().diagnosticsOf(pathToFileURL(path).href)).filter((d) => d.code === 'syntax-error').map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);
  assert.deepEqual(await places(plain), []);
  assert.deepEqual(await places(marked), [[0, 0, 0, 0]]);
  assert.deepEqual(await places(unmarked), []);
});

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { sharedServer } from '../support/lspClient.ts';
import { needBuild } from '../support/paths.ts';

/**
 * A save file judged with the files beside it, through the built server over stdio: rules.v4
 * is judged again when the rules.v6 beside it is saved.
 */
const skip = needBuild();

const client = sharedServer(skip);

async function codesOf(uri: string): Promise<string[]> {
  return (await client().diagnosticsOf(uri)).map((d) => d.code);
}

test('saving rules.v6 with INPUT closed clears the ipv6-left-open finding of the rules.v4 beside it', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lsp-siblings-'));
  const open = '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n';
  const closed = '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p ipv6-icmp -j ACCEPT\nCOMMIT\n';
  writeFileSync(join(dir, 'rules.v6'), open);
  const v4 = pathToFileURL(join(dir, 'rules.v4')).href;
  const v6 = pathToFileURL(join(dir, 'rules.v6')).href;
  await client().open(v4, 'iptables-save', '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  assert.deepEqual(await codesOf(v4), ['ipv6-left-open']);
  await client().open(v6, 'iptables-save', open);
  // the editor's edit, then its save: the file on disk is what rules.v4 is judged with
  client().published.delete(v4);
  writeFileSync(join(dir, 'rules.v6'), closed);
  await client().conn.sendNotification('textDocument/didSave', { textDocument: { uri: v6 } });
  assert.deepEqual(await codesOf(v4), []);
});

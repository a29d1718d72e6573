import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { filesAdded, filesUnder } from '../../../server/src/node/filesUnder.ts';

/** The files `iptables-lint DIR` walks, and those a path made later adds to them (the language server's workspace check). */
function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-files-under-'));
  for (const d of ['etc/iptables', '.git', 'node_modules/x', 'site']) mkdirSync(join(dir, d), { recursive: true });
  for (const f of ['rules.v4', 'etc/iptables/rules.v6', '.git/old.rules', 'node_modules/x/fw.sh', 'site/fw.sh', '.hidden.rules']) writeFileSync(join(dir, f), '*filter\nCOMMIT\n');
  symlinkSync(join(dir, 'etc'), join(dir, 'site', 'etc-link'));
  symlinkSync(join(dir, 'rules.v4'), join(dir, 'site', 'rules-link.v4'));
  return dir;
}

test('a folder walked: hidden entries, node_modules and links to folders left out, in name order', () => {
  const dir = tree();
  assert.deepEqual(filesUnder(dir).map((f) => f.slice(dir.length + 1)), ['etc/iptables/rules.v6', 'rules.v4', 'site/fw.sh', 'site/rules-link.v4']);
});

test('a path made later adds what the walk would have listed there', () => {
  const dir = tree();
  const added = (p: string) => filesAdded(dir, join(dir, p)).map((f) => f.slice(dir.length + 1));
  assert.deepEqual(added('rules.v4'), ['rules.v4']);
  assert.deepEqual(added('etc'), ['etc/iptables/rules.v6']);
  assert.deepEqual(added('site/rules-link.v4'), ['site/rules-link.v4']);
  for (const none of ['.git/old.rules', '.git', 'node_modules/x/fw.sh', '.hidden.rules', 'site/etc-link', 'missing.rules', '']) assert.deepEqual(added(none), [], none);
  assert.deepEqual(filesAdded(join(dir, 'site'), join(dir, 'rules.v4')), []);
});

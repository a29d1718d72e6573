import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mayReadBigInput } from '../../../server/src/bin/batchGc.ts';
import { dist, needBuild, repoRoot } from '../../support/paths.ts';

/**
 * What the CLI's start spends before it reads a file: a CI job runs it once per file. The
 * collector's flags for big inputs and the heap left for a big model load node:v8 (6 ms of a
 * start), so they are asked only where the input may be big.
 */
const dir = mkdtempSync(join(tmpdir(), 'iptables-start-'));
const small = join(dir, 'rules.v4');
writeFileSync(small, '*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n');
const big = join(dir, 'big.rules');
writeFileSync(big, `*filter\n${'-A INPUT -s 10.0.0.1 -p tcp --dport 22 -j ACCEPT\n'.repeat(30_000)}COMMIT\n`);
const folder = join(dir, 'etc');
mkdirSync(folder);

test('big inputs: a file over 1 MB, standard input, a folder; not a small file, options or a missing path', () => {
  assert.equal(mayReadBigInput([big]), true);
  assert.equal(mayReadBigInput(['--format', 'json', '-']), true);
  assert.equal(mayReadBigInput([folder]), true);
  assert.equal(mayReadBigInput([small, '--format', 'json', join(dir, 'missing'), 'x'.repeat(5000)]), false);
});

test('the built CLI linting a small file does not load node:v8', { skip: needBuild() }, () => {
  const probe = join(dir, 'modules.cjs');
  writeFileSync(probe, "process.on('exit', () => process.stderr.write(`\\nv8 loaded: ${process.moduleLoadList.includes('NativeModule v8')}\\n`));\n");
  const loaded = (file: string) => {
    const r = spawnSync(process.execPath, ['--require', probe, dist('iptables-lint.cjs'), file], { encoding: 'utf8', cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    return /v8 loaded: (\w+)/.exec(r.stderr)?.[1];
  };
  assert.equal(loaded(small), 'false');
  // a big file: the heap left for its model is asked (see heapRoomFor), and on a machine of two
  // cores or fewer the collector's flags are set (the probe sees the module when it is loaded)
  assert.equal(loaded(big), 'true');
});

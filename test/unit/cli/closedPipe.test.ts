import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dist, needBuild } from '../../support/paths.ts';

/**
 * `iptables-lint rules | head`: the reader closes the pipe after a few lines while the CLI is
 * still writing. The built CLI ends as it would have with its output read (the same exit
 * status), without Node's unhandled EPIPE error and stack trace on stderr.
 */

const skip = needBuild();
const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-pipe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// 20,000 findings (a port out of range on every line): about 3 MB of text output, far more than a pipe holds
const rules = join(dir, 'rules.v4');
writeFileSync(rules, `*filter\n${Array.from({ length: 20000 }, (_, i) => `-A INPUT -s 10.200.${(i >> 8) & 255}.${i & 255} -p tcp --dport 99999 -j ACCEPT\n`).join('')}COMMIT\n`);

/** Runs the CLI and closes its stdout after the first chunk, as `head -1` does. */
function lintIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string; read: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [dist('iptables-lint.cjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let read = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', (d: Buffer) => {
      read = d.length;
      child.stdout.destroy();
    });
    child.on('close', (code) => resolve({ code, stderr, read }));
  });
}

for (const format of ['text', 'json', 'sarif']) {
  test(`the reader closing the pipe early: ${format} output`, { skip }, async () => {
    const full = spawnSync(process.execPath, [dist('iptables-lint.cjs'), '--format', format, rules], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(full.status, 1, 'the rules have errors');
    assert.ok(full.stdout.length > 1024 * 1024, `output of ${full.stdout.length} bytes fills the pipe`);
    const cut = await lintIntoClosedPipe(['--format', format, rules]);
    assert.ok(cut.read > 0 && cut.read < full.stdout.length, 'the reader left before the end');
    assert.equal(cut.stderr, '', 'nothing on stderr');
    assert.equal(cut.code, full.status);
  });
}

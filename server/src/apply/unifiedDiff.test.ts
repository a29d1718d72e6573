import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { requirement } from '../../../test/support/paths.ts';
import { unifiedDiff } from './unifiedDiff.ts';

const noPatch = requirement(spawnSync('sh', ['-c', 'command -v patch']).status === 0, 'patch is not installed (apt-get install patch)');

test('equal texts give no diff; a change gives hunks with context', () => {
  assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'x', 'y'), '');
  assert.equal(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'x', 'y'), '--- x\n+++ y\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
  assert.equal(unifiedDiff('', 'a\n', 'x', 'y'), '--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n');
  assert.equal(unifiedDiff('a\n', '', 'x', 'y'), '--- x\n+++ y\n@@ -1,1 +0,0 @@\n-a\n');
  // far-apart changes make separate hunks
  const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
  const after = before.replace('line 2\n', 'line two\n').replace('line 25\n', 'line twenty-five\n');
  assert.equal((unifiedDiff(before, after, 'x', 'y').match(/^@@/gm) ?? []).length, 2);
});

// the real `patch` is the judge: our diff applied to the old text must give the new one
test('patch(1) turns the old text into the new one with our diff', { skip: noPatch }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-lint-diff-'));
  try {
    const line = fc.constantFrom('-A INPUT -j ACCEPT', '-A INPUT -j DROP', ':INPUT DROP', 'COMMIT', '*filter', '*nat', '-A FORWARD -j ACCEPT');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), fc.array(line, { maxLength: 25 }), (a, b) => {
        const before = a.map((l) => `${l}\n`).join('');
        const after = b.map((l) => `${l}\n`).join('');
        const d = unifiedDiff(before, after, 'old', 'new', 2);
        if (before === after) return d === '';
        writeFileSync(join(dir, 'f'), before);
        writeFileSync(join(dir, 'd'), d);
        const r = spawnSync('patch', ['-s', '-f', join(dir, 'f'), join(dir, 'd')], { encoding: 'utf8' });
        return r.status === 0 && readFileSync(join(dir, 'f'), 'utf8') === after;
      }),
      { numRuns: 300 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a change in the middle of a large text is found quickly', () => {
  const before = Array.from({ length: 100_000 }, (_, i) => `-A INPUT -s 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}/32 -j DROP`).join('\n') + '\n';
  const after = before.replace('-A INPUT -s 10.0.200.1/32 -j DROP\n', '-A INPUT -s 10.0.200.1/32 -j ACCEPT\n');
  const t = performance.now();
  const d = unifiedDiff(before, after, 'x', 'y');
  assert.ok(performance.now() - t < 2000);
  assert.equal((d.match(/^[-+]-A/gm) ?? []).length, 2);
});

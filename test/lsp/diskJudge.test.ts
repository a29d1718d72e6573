import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DiskJudge } from '../../server/src/lsp/diskJudge.ts';
import { judgeOnDisk, type DiskJudgementRequest } from '../../server/src/lsp/diskJudgement.ts';
import { dist, needBuild } from '../support/paths.ts';

/**
 * The thread that judges the workspace's files from disk: the server's own bundle started as a
 * worker (see DiskJudge), judging as the server's thread would, stopped when idle, and failing
 * a judgement rather than hanging where the thread cannot run.
 */
const skip = needBuild();

function request(): DiskJudgementRequest {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-disk-judge-'));
  const file = join(dir, 'office.rules');
  writeFileSync(file, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprt 22 -j ACCEPT\n-A INPUT -j LOGG\nCOMMIT\n');
  return { uri: `file://${file}`, file, severities: { 'unknown-target': 'warning' }, scriptsEnabled: true, docsBase: 'file:///docs' };
}

test('the bundle judges in its thread as the server\'s thread does, and the thread stops once idle', { skip }, async () => {
  const judge = new DiskJudge(dist('language-server-main.cjs'), 100);
  const asked = request();
  const judged = await judge.judge(asked);
  assert.equal(judge.running, true);
  assert.deepEqual(judged, judgeOnDisk(asked));
  assert.ok(judged.found);
  assert.deepEqual(judged.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [
    ['unknown-option', 1, 2],
    ['unknown-target', 2, 3],
  ]);
  const deadline = Date.now() + 5000;
  while (judge.running && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(judge.running, false);
  // started again at the next judgement
  assert.deepEqual(await judge.judge(asked), judged);
  judge.stop();
});

test('a judgement fails, rather than waits for ever, where the thread cannot run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-disk-judge-'));
  const broken = join(dir, 'broken.cjs');
  writeFileSync(broken, 'throw new Error("cannot load")\n');
  const judge = new DiskJudge(broken);
  await assert.rejects(judge.judge(request()), /cannot load/);
  assert.equal(judge.running, false);
  await assert.rejects(judge.judge(request()), /cannot load/);
  const missing = new DiskJudge(join(dir, 'missing.cjs'));
  await assert.rejects(missing.judge(request()));
});

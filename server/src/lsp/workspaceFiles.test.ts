import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { DiskJudgement } from './diskJudgement.ts';
import { WorkspaceFiles, type WorkspaceFilesHost } from './workspaceFiles.ts';

/**
 * WorkspaceFiles with judgements that end when the test says: a file's judgement runs in
 * another thread (see DiskJudge), so an older one may end after a newer one was asked for, or
 * after the editor opened the file.
 */
const finding = (code: string): LspDiagnostic => ({ code, message: code, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });
const judgedWith = (...codes: string[]): DiskJudgement => ({ found: true, diagnostics: codes.map(finding), errors: codes.length, warnings: 0, places: [], configProblems: [] });

function harness() {
  const asked: { uri: string; end: (j: DiskJudgement | Error) => void }[] = [];
  const published: { uri: string; codes: string[] }[] = [];
  const logged: string[] = [];
  const open = new Set<string>();
  const host: WorkspaceFilesHost = {
    publish: (uri, diagnostics) => published.push({ uri, codes: diagnostics.map((d) => String(d.code)) }),
    isOpen: (uri) => open.has(uri),
    openFindings: () => undefined,
    judgeOnDisk: (uri) => new Promise<DiskJudgement>((resolve, reject) => asked.push({ uri, end: (j) => (j instanceof Error ? reject(j) : resolve(j)) })),
    log: (m) => logged.push(m),
    configProblem: () => {},
    watch: () => {},
    watching: async () => {},
    forget: () => {},
    watchFolders: () => {},
  };
  return { files: new WorkspaceFiles(host), asked, published, logged, open };
}

const turn = () => new Promise((r) => setImmediate(r));

test('a judgement that ends after a newer one of the same file was asked for is not pushed over it', async () => {
  const { files, asked, published } = harness();
  const older = files.judge('file:///r.rules', '/r.rules');
  const newer = files.judge('file:///r.rules', '/r.rules');
  asked[1].end(judgedWith('unknown-target'));
  await newer;
  asked[0].end(judgedWith('unknown-option'));
  await older;
  assert.deepEqual(published, [{ uri: 'file:///r.rules', codes: ['unknown-target'] }]);
});

test('a file the editor opened while it was judged from disk keeps the editor\'s findings, and is judged from disk once closed', async () => {
  const { files, asked, published, open } = harness();
  const judging = files.judge('file:///r.rules', '/r.rules');
  open.add('file:///r.rules');
  asked[0].end(judgedWith('unknown-option'));
  await judging;
  assert.deepEqual(published, []);
  assert.equal(files.has('file:///r.rules'), true);
  open.delete('file:///r.rules');
  const closed = files.judge('file:///r.rules');
  asked[1].end(judgedWith('unknown-option'));
  await closed;
  assert.deepEqual(published, [{ uri: 'file:///r.rules', codes: ['unknown-option'] }]);
});

test('a file that could not be judged is said in the log and its findings cleared', async () => {
  const { files, asked, published, logged } = harness();
  const first = files.judge('file:///r.rules', '/r.rules');
  asked[0].end(judgedWith('unknown-option'));
  await first;
  const again = files.judge('file:///r.rules');
  asked[1].end(new Error('the judging thread ended (exit code 1)'));
  assert.equal(await again, undefined);
  assert.deepEqual(published.at(-1), { uri: 'file:///r.rules', codes: [] });
  assert.equal(files.has('file:///r.rules'), false);
  assert.equal(logged.length, 1);
  assert.match(logged[0], /\/r\.rules/);
});

test('a check counts what each file\'s judgement found, one file at a time, and a newer check stops it while a file is judged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-workspace-files-'));
  for (const name of ['a.rules', 'b.rules']) writeFileSync(join(dir, name), '*filter\nCOMMIT\n');
  const { files, asked } = harness();
  const first = files.check([dir]);
  while (asked.length < 1) await turn();
  // the second file is not asked for before the first is judged
  await turn();
  assert.equal(asked.length, 1);
  asked[0].end(judgedWith('unknown-option', 'unknown-target'));
  while (asked.length < 2) await turn();
  asked[1].end({ found: false });
  assert.deepEqual(await first, { files: 1, errors: 2, warnings: 0 });
  assert.deepEqual(asked.map((a) => a.uri), ['a.rules', 'b.rules'].map((n) => pathToFileURL(join(dir, n)).href));

  const stopped = files.check([dir]);
  while (asked.length < 3) await turn();
  const newer = files.check([dir]);
  asked[2].end(judgedWith('unknown-option'));
  assert.deepEqual(await stopped, { files: 0, errors: 0, warnings: 0, superseded: true });
  while (asked.length < 4) await turn();
  asked[3].end(judgedWith('unknown-option'));
  while (asked.length < 5) await turn();
  asked[4].end(judgedWith());
  assert.deepEqual(await newer, { files: 2, errors: 1, warnings: 0 });
});

test('a file made under checked folders that hold one another is judged once; a folder deleted clears the files judged in it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'iptables-workspace-files-'));
  const { files, asked, published } = harness();
  const sub = join(dir, 'etc');
  const checked = files.check([dir, sub]);
  assert.deepEqual(await checked, { files: 0, errors: 0, warnings: 0 });
  mkdirSync(sub);
  writeFileSync(join(sub, 'rules.v4'), '*filter\nCOMMIT\n');
  files.created(sub);
  assert.deepEqual(asked.map((a) => a.uri), [pathToFileURL(join(sub, 'rules.v4')).href]);
  asked[0].end(judgedWith('unknown-option'));
  await turn();
  assert.equal(files.has(asked[0].uri), true);
  // made again (a save that writes a new file): already judged, left to its own watch
  files.created(join(sub, 'rules.v4'));
  assert.equal(asked.length, 1);
  files.deleted(sub);
  assert.equal(files.has(asked[0].uri), false);
  assert.deepEqual(published.at(-1), { uri: asked[0].uri, codes: [] });
});

// The project's test command: builds the bundles (the CLI, LSP and editor tests run them),
// type-checks, then runs every *.test.ts with Node's test runner on Node 22.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`npm test needs Node 22 (this is ${process.version}); \`npm install\` provides it in node_modules/.bin, which npm scripts put first on PATH.`);
  process.exit(2);
}

function step(name, cmd, args) {
  console.log(`\n── ${name}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function* walk(dir) {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.test.ts')) yield p;
  }
}

const filter = process.argv.slice(2);
step('build', 'npm', ['run', '--silent', 'build']);
step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
const files = [...walk(join(root, 'server', 'src')), ...walk(join(root, 'test'))]
  .map((f) => relative(root, f))
  .filter((f) => !f.startsWith('test/vscode/suite/'))
  .filter((f) => !filter.length || filter.some((x) => f.includes(x)))
  .sort();
// Tests that measure speed run last, one at a time, so the namespace tiers running in
// parallel do not skew their figures.
const timed = ['test/corpus/corpus.test.ts', 'test/unit/simulate/trace.test.ts', 'test/unit/analysis/scaling.test.ts'];
const parallel = files.filter((f) => !timed.includes(f));
const sequential = files.filter((f) => timed.includes(f));
if (parallel.length) step('tests', process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...parallel]);
// the browser and namespace tiers leave work behind for a while (chromium, code-server
// shutting down): speed is measured once the machine has settled. The one-minute load
// average needs about a minute and a half to fall from 3 to 1 on an idle machine, so the
// wait lasts up to three minutes.
if (sequential.length) {
  const { loadavg } = await import('node:os');
  const until = Date.now() + 180_000;
  while (loadavg()[0] > 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 2000));
  console.log(`\n(load average before the timed tests: ${loadavg()[0].toFixed(2)})`);
}
if (sequential.length) step('timed tests', process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...sequential]);

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.ts';
import { packageVsix } from './packageVsix.ts';
import { freshWork, isolatedEnv, openBrowser, workbenchSkip } from './vscodeServer.ts';
import { openWorkbench } from './workbenchPage.ts';

/**
 * The README's `npm run demo` after its packaging step: demo.ts installs the .vsix with
 * code-server's own command line and serves the sample workspace on 127.0.0.1 without a
 * password; a browser on the printed URL gets the workbench, and the extension's findings on the
 * router script. All inside a network namespace that has only loopback.
 */
const skip = workbenchSkip();

test('the demo serves the sample workspace with the extension installed, on loopback only', { skip, timeout: 180_000 }, async () => {
  const work = freshWork('demo');
  const vsix = packageVsix(work);
  const demo = spawn(
    'unshare',
    ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, join(repoRoot, 'test', 'vscode', 'demo.ts'), '--vsix', vsix, '--port', '0', '--work', join(work, 'demo')],
    { env: isolatedEnv(work), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  demo.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  demo.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      // code-server says it serves without a password in its own log, which may come a moment
      // after the demo prints the URL: both are waited for
      const timer = setInterval(() => {
        const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)$/m.exec(out);
        if (m && /Authentication is disabled/.test(out)) done(m[1]);
      }, 100);
      const deadline = setTimeout(() => done(undefined, new Error(`no URL, or no "Authentication is disabled", printed within 120 s:\n${out}`)), 120_000);
      demo.once('exit', (code) => done(undefined, new Error(`the demo exited (${code}):\n${out}`)));
      function done(u?: string, e?: Error) {
        clearInterval(timer);
        clearTimeout(deadline);
        if (u) resolve(u);
        else reject(e);
      }
    });
    assert.match(out, /Authentication is disabled/);
    browser = await openBrowser(work, { pid: demo.pid!, privateNetwork: true });
    const { page } = browser;
    await openWorkbench(page, url);
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'port-forward-router.sh' }).click();
    await page.locator('.tab.active', { hasText: 'port-forward-router.sh' }).waitFor();
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'dnat-without-forward-accept' }).waitFor({ timeout: 60_000 });
  } catch (e) {
    await browser?.page.screenshot({ path: join(work, 'failure.png') }).catch(() => undefined);
    process.stdout.write(`demo output:\n${out}\npage console:\n${browser?.console.slice(-60).join('\n') ?? ''}\n`);
    throw e;
  } finally {
    await browser?.close();
    const gone = new Promise((r) => demo.once('exit', r));
    try {
      process.kill(-demo.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
    try {
      process.kill(-demo.pid!, 'SIGKILL');
    } catch {
      /* the group is empty */
    }
  }
});

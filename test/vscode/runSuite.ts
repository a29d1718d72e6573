// Runs the extension-host suite inside code-server's real VS Code: the bundled VS Code server
// with --enable-smoke-test-driver, and a headless Chromium opening a workbench URL whose payload
// names the extension (development path) and the test module. The page reports the module's
// result through window.codeAutomationExit(code).
import { join } from 'node:path';
import { repoRoot } from '../support/paths.ts';
import { buildSuite } from './buildSuite.ts';
import { freshWork, makeSampleWorkspace, openBrowser, startVsCodeServer } from './vscodeServer.ts';
import { cpSync, existsSync, readFileSync } from 'node:fs';

export interface SuiteRun {
  exitCode: number | 'timeout';
  /** The suite's own lines (one per check). */
  log: string;
  /** Page console, extension host logs and server output: what to read when it fails. */
  diagnostics: string;
  /** Requests the page made to anywhere but 127.0.0.1 (they cannot leave the private namespace). */
  elsewhere: string[];
  seconds: number;
  /** The extension's global storage folder of the run (kept until the next run of this trust). */
  storage: string;
}

/** The extension's global storage in a run's VS Code profile. */
export const extensionStorage = (work: string) => join(work, 'user-data', 'User', 'globalStorage', 'iptables-tools.iptables-language-support');

/**
 * `checks: 'none'` runs no check, only the activation measurement (the bench's use).
 * `seedStorage` is copied into the extension's global storage first (the bench's later starts
 * get the compiled code the first one saved, as a VS Code started before has).
 */
export async function runSuiteInCodeServer(trust: 'trusted' | 'untrusted', timeoutMs = 180_000, checks: 'all' | 'none' = 'all', seedStorage?: string): Promise<SuiteRun> {
  const started = Date.now();
  const bundle = buildSuite();
  const work = freshWork(trust);
  const storage = extensionStorage(work);
  if (seedStorage) cpSync(seedStorage, storage, { recursive: true });
  const workspace = makeSampleWorkspace(join(work, 'workspace'), join(repoRoot, 'examples'));
  const logFile = join(work, 'suite.log');
  const server = await startVsCodeServer({
    work,
    privateNetwork: true,
    env: { IPTABLES_SUITE_LOG: logFile, IPTABLES_SUITE_TRUST: trust, IPTABLES_SUITE_CHECKS: checks, IPTABLES_SUITE_STORAGE: storage },
    // trust is on by default in VS Code's web server, and a folder nobody trusted yet opens in
    // Restricted Mode; turning it off makes every folder trusted
    args: trust === 'trusted' ? ['--disable-workspace-trust'] : [],
  });
  let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
  let exitCode: number | 'timeout' = 'timeout';
  try {
    browser = await openBrowser(work, server);
    let reported!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (reported = resolve));
    await browser.page.exposeFunction('codeAutomationExit', (code: number) => reported(code));
    const url = server.url(server.remote(workspace), [
      ['extensionDevelopmentPath', server.remote(repoRoot)],
      ['extensionTestsPath', server.remote(bundle)],
    ]);
    await browser.page.goto(url);
    let timer: ReturnType<typeof setTimeout> | undefined;
    exitCode = await Promise.race([exit, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
    clearTimeout(timer);
    if (exitCode !== 0) await browser.page.screenshot({ path: join(work, 'failure.png') }).catch(() => undefined);
  } finally {
    await browser?.close();
    await server.stop();
  }
  return {
    exitCode,
    storage,
    log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(the suite wrote no log)',
    diagnostics: [
      '── page console',
      ...(browser?.console ?? []),
      '── extension host logs',
      server.extensionHostLogs(),
      '── server output',
      server.output(),
    ].join('\n'),
    elsewhere: browser?.elsewhere ?? [],
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

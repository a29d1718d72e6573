// A real VS Code for the tests and the demo: the VS Code server bundled in code-server, on
// 127.0.0.1 only, with every folder it writes (HOME, TMPDIR, user data, extensions) inside one
// work folder, and Debian's Chromium headless (playwright-core) as its window.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { needBuild, repoRoot, requirement } from '../support/paths.ts';
import { codeServerInstall, isCodeServerInstalled, type CodeServerInstall } from './installCodeServer.ts';

export const chromiumPath = '/usr/bin/chromium';

/**
 * Why a test that runs the workbench cannot run here (a `skip` reason), or false: the bundles,
 * code-server, Debian's Chromium, and root for the private network namespace. Under CI=true a
 * missing one fails the run instead (see requirement()).
 */
export function workbenchSkip(): string | false {
  const canIsolate = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;
  return (
    needBuild() ||
    requirement(isCodeServerInstalled(), 'code-server is not installed: run `npm run code-server:install`') ||
    requirement(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium)`) ||
    requirement(canIsolate, 'the VS Code tests need root for a private network namespace (unshare --net)')
  );
}

export interface VsCodeServer {
  port: number;
  /** The server's pid; with `privateNetwork`, `/proc/PID/ns/net` is the namespace the browser joins. */
  pid: number;
  privateNetwork: boolean;
  /** `vscode-remote://127.0.0.1:PORT/abs/path`: how the browser side names a file on the server. */
  remote(path: string): string;
  /** The workbench URL opening `folder`, with an optional `payload` (extension development, tests). */
  url(folder: string, payload?: [string, string][]): string;
  /** Everything the server and its extension hosts printed so far. */
  output(): string;
  /** The extension host's own log files (exthost*.log, the language client's output channel). */
  extensionHostLogs(): string;
  stop(): Promise<void>;
}

/** A test's own work folder under .work/vscode-tests, emptied: nothing of an earlier run is reused. */
export function freshWork(name: string): string {
  const work = join(repoRoot, '.work', 'vscode-tests', name);
  rmSync(work, { recursive: true, force: true });
  return work;
}

/** HOME, TMPDIR and XDG folders inside `work`, so a test leaves nothing in the user's home. */
export function isolatedEnv(work: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = join(work, 'home');
  const tmp = join(work, 'tmp');
  for (const d of [home, tmp]) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  // the nested npm's and the coding tools' variables have no business in VS Code's processes
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|NODE_OPTIONS$|NODE_TEST|VSCODE_)/i.test(k)) env[k] = v;
  return { ...env, HOME: home, TMPDIR: tmp, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), XDG_CACHE_HOME: join(home, '.cache'), ...extra };
}

/** A workspace folder holding our example firewall files (copied: the tests edit and rename). */
export function makeSampleWorkspace(dest: string, examples: string): string {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  for (const f of readdirSync(examples)) cpSync(join(examples, f), join(dest, f), { recursive: true });
  return dest;
}

/**
 * Installs a .vsix into `<work>/extensions` with the VS Code server's own command line, the way
 * `code-server --install-extension` does. Needs root (unshare), like the tests that use it.
 */
export function installVsix(work: string, vsix: string, install: CodeServerInstall = codeServerInstall()): void {
  // a local file needs no network: the install runs in an empty network namespace
  const r = spawnSync(
    'unshare',
    ['--net', '--', install.node, install.serverMain, '--install-extension', vsix, '--force', '--extensions-dir', join(work, 'extensions'), '--user-data-dir', join(work, 'user-data'), '--server-data-dir', join(work, 'server-data')],
    { env: isolatedEnv(work, { EXTENSIONS_GALLERY: '{}' }), encoding: 'utf8' },
  );
  if (r.status !== 0 || !/successfully installed/.test(r.stdout)) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
}

function waitForListening(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /Extension host agent listening on (\d+)/.exec(output());
      if (m) done(null, Number(m[1]));
    }, 100);
    const onExit = (code: number | null) => done(new Error(`the VS Code server exited (${code}) before listening:\n${output()}`));
    const deadline = setTimeout(() => done(new Error(`the VS Code server did not listen within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
    child.once('exit', onExit);
    function done(err: Error | null, port?: number) {
      clearInterval(timer);
      clearTimeout(deadline);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(port!);
    }
  });
}

/**
 * User settings for a quiet, offline workbench: no telemetry, update checks, marketplace,
 * experiments, AI panels or welcome pages, so the window shows only the editor and our extension.
 */
export const offlineSettings: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'json.schemaDownload.enable': false,
  'npm.fetchOnlinePackageInfo': false,
  'git.enabled': false,
  'github.gitAuthentication': false,
};

/**
 * Starts `server-main.js` (VS Code's own web server, as shipped in code-server) without a
 * connection token on 127.0.0.1 and a port the kernel picks. `--enable-smoke-test-driver` lets
 * the page report an extension test run's exit code through `window.codeAutomationExit`.
 */
export async function startVsCodeServer(opts: {
  work: string;
  install?: CodeServerInstall;
  env?: NodeJS.ProcessEnv;
  args?: string[];
  settings?: Record<string, unknown>;
  /**
   * Run the server in a network namespace of its own that has only loopback (the browser joins
   * it through openBrowser): whatever VS Code or an extension tries to reach, nothing but
   * 127.0.0.1 is there. Needs root (unshare).
   */
  privateNetwork?: boolean;
}): Promise<VsCodeServer> {
  const install = opts.install ?? codeServerInstall();
  const userData = join(opts.work, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  // code-server keeps the user's settings on the server side, in the user data folder
  writeFileSync(join(userData, 'User', 'settings.json'), `${JSON.stringify({ ...offlineSettings, ...opts.settings }, null, 2)}\n`);
  const privateNetwork = opts.privateNetwork ?? false;
  const serverArgs = [
    install.serverMain,
    '--host', '127.0.0.1',
    '--port', '0',
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--server-data-dir', join(opts.work, 'server-data'),
    '--user-data-dir', userData,
    '--extensions-dir', join(opts.work, 'extensions'),
    ...(opts.args ?? []),
  ];
  // unshare execs (no fork) and sh execs node: the spawned pid is the server's
  const [cmd, args] = privateNetwork
    ? ['unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', install.node, ...serverArgs]]
    : [install.node, serverArgs];
  let out = '';
  // its own process group: stop() takes the extension hosts and the language server with it
  // an empty gallery: no marketplace queries (code-server reads EXTENSIONS_GALLERY)
  const env = isolatedEnv(opts.work, { EXTENSIONS_GALLERY: '{}', ...opts.env });
  const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited || child.pid === undefined) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5000);
    await gone;
    clearTimeout(t);
    // extension hosts may outlive the server by a moment; nothing of the group may stay
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* the group is empty */
    }
  };
  let port: number;
  try {
    port = await waitForListening(child, () => out, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  return {
    port,
    pid: child.pid!,
    privateNetwork,
    remote,
    url(folder, payload) {
      const q = new URLSearchParams({ folder });
      if (payload) q.set('payload', JSON.stringify(payload));
      return `http://127.0.0.1:${port}/?${q.toString()}`;
    },
    output: () => out,
    extensionHostLogs: () => collectLogs(join(userData, 'logs')),
    stop,
  };
}

function collectLogs(dir: string): string {
  if (!existsSync(dir)) return '';
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/exthost|iptables/i.test(p) && p.endsWith('.log')) parts.push(`── ${p}\n${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir);
  return parts.join('\n');
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Every console message of the page, in order (extension host output is forwarded there). */
  console: string[];
  /** URLs the page requested from somewhere other than 127.0.0.1. */
  elsewhere: string[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a fresh profile inside `work` and no traffic of its own.
 * Given a server in a private network namespace, Chromium runs inside that namespace too
 * (playwright drives it over a pipe, so it needs no network to be controlled).
 */
export async function openBrowser(work: string, server?: Pick<VsCodeServer, 'pid' | 'privateNetwork'>, viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const profile = join(work, 'chromium-profile');
  rmSync(profile, { recursive: true, force: true });
  let executablePath = chromiumPath;
  if (server?.privateNetwork) {
    executablePath = join(work, 'chromium-in-namespace');
    writeFileSync(executablePath, `#!/bin/sh\nexec nsenter --net=/proc/${server.pid}/ns/net ${chromiumPath} "$@"\n`);
    chmodSync(executablePath, 0o755);
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    env: isolatedEnv(work),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: string[] = [];
  // what the page tried to load from anywhere but the local server (in a private namespace it fails)
  const elsewhere: string[] = [];
  context.on('request', (r) => {
    if (!/^(https?|wss?):\/\/127\.0\.0\.1[:/]|^(data|blob|vscode-\w+):/.test(r.url())) elsewhere.push(r.url());
  });
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
  return {
    context,
    page,
    console: lines,
    elsewhere,
    close: () => context.close().catch(() => undefined),
  };
}

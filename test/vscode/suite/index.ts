// The extension's integration tests, in the form VS Code's test runners load: a module
// exporting run(), executed inside the extension host. code-server's extension host runs it in
// `npm test` (test/vscode/codeServer.test.ts); a desktop VS Code runs it through
// @vscode/test-electron (test/vscode/runElectron.ts). Each file adds its checks: add a file,
// import it below.
import * as vscode from 'vscode';
import { checks as commands } from './commands.ts';
import { checks as completion } from './completion.ts';
import { checks as diagnostics } from './diagnostics.ts';
import { checks as hover } from './hover.ts';
import { checks as navigation } from './navigation.ts';
import { checks as trace } from './trace.ts';
import { expect, extensionId, log, type Check } from './support.ts';

const all: Check[] = [...diagnostics, ...hover, ...completion, ...navigation, ...commands, ...trace];

const checkTimeoutMs = 60_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * The extension's activation as VS Code counts it: loading its bundle and running activate()
 * until it resolves (the language client started, the server answered initialize). Measured
 * before any check opens a file, when nothing has activated it yet.
 */
async function measureActivation(): Promise<void> {
  const ext = vscode.extensions.getExtension(extensionId);
  if (!ext || ext.isActive) {
    log(`activation: not measured (${ext ? 'already active' : 'extension not found'})`);
    return;
  }
  // the window has just opened and its own start-up work shares the extension host's thread:
  // measured after it settles, as when a file is opened in a VS Code that is already running
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const started = performance.now();
  await ext.activate();
  log(`activation: ${(performance.now() - started).toFixed(1)} ms`);
}

export async function run(): Promise<void> {
  const trusted = vscode.workspace.isTrusted;
  // the runner says which kind of workspace it opened, so a trust mix-up fails instead of passing
  const expected = process.env.IPTABLES_SUITE_TRUST;
  const mode = trusted ? 'trusted' : 'untrusted';
  log(`VS Code ${vscode.version}, ${vscode.env.appName}, workspace ${vscode.workspace.workspaceFolders?.[0]?.uri.toString()} (${mode})`);
  await measureActivation();
  // the bench runs no check: it only wants the activation figure
  const selected = process.env.IPTABLES_SUITE_CHECKS === 'none' ? [] : all.filter((c) => !c.when || c.when === mode);
  const trust: Check = {
    name: `the workspace is ${expected ?? mode}`,
    async run() {
      expect(!expected || expected === mode, `the runner opened a ${expected} workspace, VS Code says ${mode}`);
    },
  };
  let failed = 0;
  let n = 0;
  for (const check of [trust, ...selected]) {
    n++;
    const started = Date.now();
    try {
      await withTimeout(check.run(), checkTimeoutMs);
      log(`ok ${n} - ${check.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      log(`not ok ${n} - ${check.name} (${Date.now() - started} ms)\n    ${String((e as Error).stack ?? e).split('\n').join('\n    ')}`);
    }
  }
  log(`${n} checks in the extension host: ${n - failed} ok, ${failed} not ok`);
  if (failed) throw new Error(`${failed} of ${n} extension-host checks failed`);
}

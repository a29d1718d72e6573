import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { needBuild, requirement } from '../support/paths.ts';
import { isCodeServerInstalled } from './installCodeServer.ts';
import { runSuiteInCodeServer, type SuiteRun } from './runSuite.ts';
import { chromiumPath } from './vscodeServer.ts';

/**
 * The extension's integration suite (test/vscode/suite) inside a real VS Code: code-server's
 * extension host, driven by headless Chromium, once in a trusted workspace and once in Restricted
 * Mode. Server and browser share a network namespace that has only loopback.
 */
const canIsolate = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;
const skip =
  needBuild() ||
  requirement(isCodeServerInstalled(), 'code-server is not installed: run `npm run code-server:install`') ||
  requirement(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium)`) ||
  requirement(canIsolate, 'the VS Code tests need root for a private network namespace (unshare --net)');

function report(trust: string, run: SuiteRun): void {
  process.stdout.write(`\n── extension-host suite in code-server, ${trust} workspace (${run.seconds} s, exit ${run.exitCode})\n${run.log}\n`);
  if (run.elsewhere.length) process.stdout.write(`page requests outside 127.0.0.1 (failed in the private namespace): ${run.elsewhere.join(' ')}\n`);
  if (run.exitCode !== 0) process.stdout.write(`${run.diagnostics}\n`);
}

for (const trust of ['trusted', 'untrusted'] as const) {
  test(`the extension-host suite passes in code-server's VS Code, ${trust} workspace`, { skip, timeout: 240_000 }, async () => {
    const run = await runSuiteInCodeServer(trust);
    report(trust, run);
    assert.equal(run.exitCode, 0, `the suite's exit code (see its log above)`);
    assert.match(run.log, /^ok \d+ - /m, 'the suite ran checks');
    assert.doesNotMatch(run.log, /^not ok/m);
  });
}

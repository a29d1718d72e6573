import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSuiteInCodeServer, type SuiteRun } from './runSuite.ts';
import { workbenchSkip } from './vscodeServer.ts';

/**
 * The extension's integration suite (test/vscode/suite) inside a real VS Code: code-server's
 * extension host, driven by headless Chromium, once in a trusted workspace and once in Restricted
 * Mode. Server and browser share a network namespace that has only loopback.
 */
const skip = workbenchSkip();

function report(trust: string, run: SuiteRun): void {
  process.stdout.write(`\n── extension-host suite in code-server, ${trust} workspace (${run.seconds} s, exit ${run.exitCode})\n${run.log}\n`);
  if (run.elsewhere.length) process.stdout.write(`page requests outside 127.0.0.1 (failed in the private namespace): ${run.elsewhere.join(' ')}\n`);
  if (run.exitCode !== 0) process.stdout.write(`${run.diagnostics}\n`);
}

/**
 * Checks that must have passed, by name: a check that was filtered out, renamed away or lost
 * fails the run instead of leaving one `ok` line to stand for all of them.
 */
const inBoth = [
  /the router script is a shell script with the DNAT warning on its port-forward rule/,
  /hover on PREROUTING in the router script explains the chain/,
  /hover on PREROUTING in rules\.v4 explains the chain/,
  /completion after -j offers DNAT in nat PREROUTING and not in filter INPUT/,
  /go to definition on a jump to a user chain lands on its declaration/,
  /the references lens of a user chain shows its jumps in the references view/,
  /rename of a user chain edits its declaration/,
  /the outline lists as many chains as iptables\.outline\.maxChains says/,
  /code lenses stop at iptables\.codeLens\.maxLenses/,
  /the extension is active and its commands are registered/,
  /the language server runs with the environment the client gives it/,
  /a script's configuration changed on disk by another program .* judges the script again/,
  /Check All iptables Files in the Workspace lists the findings of a file never opened/,
];
const required: Record<'trusted' | 'untrusted', RegExp[]> = {
  trusted: [/the workspace is trusted/, ...inBoth, /Apply Rules to Host refuses a file with error findings/, /Apply Rules to Host judges the file with \.iptables-lint\.json and the forwarding sysctls/],
  untrusted: [/the workspace is untrusted/, ...inBoth, /Apply Rules to Host refuses in an untrusted workspace/],
};

/** The names of the checks the suite reported as passed. */
function passed(log: string): string[] {
  return [...log.matchAll(/^ok \d+ - (.*) \(\d+ ms\)$/gm)].map((m) => m[1]);
}

for (const trust of ['trusted', 'untrusted'] as const) {
  test(`the extension-host suite passes in code-server's VS Code, ${trust} workspace`, { skip, timeout: 240_000 }, async () => {
    const run = await runSuiteInCodeServer(trust);
    report(trust, run);
    assert.equal(run.exitCode, 0, `the suite's exit code (see its log above)`);
    assert.doesNotMatch(run.log, /^not ok/m);
    const ok = passed(run.log);
    for (const name of required[trust]) assert.ok(ok.some((n) => name.test(n)), `no passed check matches ${name} (passed: ${ok.join(' | ')})`);
    // the suite's own count agrees with the lines: every check it ran passed
    const summary = /^(\d+) checks in the extension host: (\d+) ok, 0 not ok$/m.exec(run.log);
    assert.ok(summary, 'the suite printed its summary with no failure');
    assert.equal(Number(summary[1]), ok.length);
    assert.equal(Number(summary[2]), ok.length);
  });
}

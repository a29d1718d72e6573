import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEFAULT_REMOTE_DIR } from '../../server/src/apply/session.ts';
import { RouterHost } from '../apply/routerHost.ts';
import { repoRoot, requirement } from '../support/paths.ts';
import { packageVsix } from './packageVsix.ts';
import { freshWork, installVsix, makeSampleWorkspace, openBrowser, startVsCodeServer, workbenchSkip } from './vscodeServer.ts';
import { command, openFile, openWorkbench, shot, steadyWorkbench } from './workbenchPage.ts';

/**
 * Apply Rules to Host… end to end, as a user runs it: the packaged extension in code-server's
 * VS Code (headless Chromium) applies examples/rules.v4 to a real router — a network namespace
 * with its own sshd and netfilter (test/apply/routerHost.ts). The test picks the host, waits for
 * the diff editor and the confirmation, accepts, waits for the countdown with Keep and Revert,
 * and checks the router's loaded rules with iptables-save: once keeping the new rules, once
 * reverting to the previous ones, and once answering nothing, when the rollback armed on the
 * router brings the previous rules back. The diff and the countdown are saved for the README.
 *
 * Network: the server and Chromium share a namespace that has only loopback; the host side of
 * the router's veth pair is moved into it, so the one address they can reach besides 127.0.0.1
 * is the router's, on 10.200.77.0/24.
 */
const skip =
  workbenchSkip() ||
  requirement(!RouterHost.available(), RouterHost.available() ?? '');

const examples = join(repoRoot, 'examples');
const rulesV4 = readFileSync(join(examples, 'rules.v4'), 'utf8');

/** What the router holds before each apply: filter only, with a rule rules.v4 does not have. */
const previousRules = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 2222 -j ACCEPT\nCOMMIT\n';

const ROLLBACK_SECONDS = 25;

function run(args: string[]): string {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The text of the "iptables apply" output channel, from the file VS Code writes it to. */
function outputChannel(work: string): string {
  const dir = join(work, 'user-data', 'logs');
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/iptables apply\.log$/.test(e)) found.push(readFileSync(p, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.join('\n');
}

async function eventually(what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One run of the command on rules.v4: pick the host, see the diff, accept, answer the countdown. */
async function applyRulesV4(page: Page, host: string, answer: 'Keep' | 'Revert' | 'no answer', shots: boolean): Promise<void> {
  // a fresh start: the previous run's diff editor would answer Quick Open for rules.v4
  await command(page, 'View: Close All Editors');
  await openFile(page, 'rules.v4');
  // the palette lists the command once the workbench has the trust and language context of
  // the editor; a palette opened a moment too early is closed and opened again
  for (let attempt = 1; ; attempt++) {
    try {
      await command(page, 'iptables: Apply Rules to Host', 10_000);
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  const picker = page.locator('.quick-input-widget', { hasText: 'Apply rules to which host?' });
  await picker.locator('.monaco-list-row', { hasText: 'lab-router' }).click({ timeout: 30_000 });

  // the checks on the router, then the diff of what is loaded there and what would be
  const diffTab = page.locator('.tabs-container .tab', { hasText: `${host} ipv4: loaded ↔ after apply` });
  await diffTab.waitFor({ timeout: 60_000 });
  const diff = page.locator('.monaco-diff-editor');
  await diff.locator('.view-line', { hasText: 'MASQUERADE' }).first().waitFor({ timeout: 20_000 });
  const confirm = page.locator('.monaco-dialog-box', { hasText: `Apply these rules to ${host}?` });
  await confirm.waitFor({ timeout: 20_000 });
  // the lockout check passed: the button is the plain one, not "Apply Anyway"
  const apply = confirm.locator('.dialog-buttons .monaco-button', { hasText: /^Apply$/ });
  await apply.waitFor();
  if (shots) await shot(page, 'apply-diff');
  await apply.click();

  // the new rules are live: the countdown and the question with Keep and Revert. The server
  // runs with VS Code's smoke-test driver (for the suite's exit code), which keeps notifications
  // out of toasts: they are read and answered in the notification center, open from here on
  await command(page, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  const question = center.locator('.notification-list-item', { hasText: 'Keep them?' });
  await question.waitFor({ timeout: 60_000 });
  const countdown = center.locator('.notification-list-item', { hasText: /previous rules come back in \d+ s/ });
  await countdown.waitFor({ timeout: 10_000 });
  if (shots) {
    await page.waitForTimeout(1200);
    await shot(page, 'apply-keep');
  }
  if (answer !== 'no answer') await question.locator('.monaco-button', { hasText: new RegExp(`^${answer}$`) }).click();
  const outcome =
    answer === 'Keep'
      ? `Confirmed over a new ssh connection: the new rules stay on ${host}`
      : answer === 'Revert'
        ? `Reverted: the previous rules are back on ${host}`
        : // nobody answers: the rollback armed on the router fires, and the command reports it
          `Rolled back: the previous rules are loaded on ${host} again`;
  // the center closes when its last notification goes, and an empty one does not open: it is
  // opened again until the outcome shows there
  const result = center.locator('.notification-list-item', { hasText: outcome });
  const waitS = 60 + (answer === 'no answer' ? ROLLBACK_SECONDS : 0);
  const deadline = Date.now() + waitS * 1000;
  while (!(await result.isVisible())) {
    if (Date.now() > deadline) throw new Error(`no notification '${outcome}' within ${waitS} s`);
    if (!(await center.isVisible())) await command(page, 'Notifications: Show Notifications');
    await page.waitForTimeout(500);
  }
  await command(page, 'Notifications: Clear All Notifications');
}

test('Apply Rules to Host on a real router: diff, confirmation, countdown, Keep; a second run that reverts; a third that nobody answers and the rollback undoes', { skip, timeout: 480_000 }, async () => {
  const work = freshWork('apply-flow');
  const workspace = makeSampleWorkspace(join(work, 'workspace'), examples);
  installVsix(work, packageVsix(work));

  // the engine keeps its backups on the "remote" host in the default folder, which the
  // namespace's sshd shares with this machine: whatever the test adds there is removed after
  const remoteBase = DEFAULT_REMOTE_DIR;
  const remoteExisted = existsSync(remoteBase);
  const remoteBefore = new Set(remoteExisted ? readdirSync(remoteBase) : []);

  const router = new RouterHost();
  let server: Awaited<ReturnType<typeof startVsCodeServer>> | undefined;
  let browser: Awaited<ReturnType<typeof openBrowser>> | undefined;
  try {
    router.up();
    // rules.v4 accepts ssh from the office side, eth1: the router's link to the test is that side
    router.exec(['ip', 'link', 'set', 'eth0', 'down']);
    router.exec(['ip', 'link', 'set', 'eth0', 'name', 'eth1']);
    router.exec(['ip', 'link', 'set', 'eth1', 'up']);
    router.load(previousRules);
    const previous = router.save();
    const host = router.target;

    // ssh as the extension runs it, with the router's key and its recorded host key only; the
    // wrapper is the iptables.ssh.path setting (ssh reads ~/.ssh from the passwd entry, not HOME)
    const ssh = join(work, 'ssh-for-router');
    writeFileSync(ssh, `#!/bin/sh\nexec ssh -F none -o UserKnownHostsFile=${router.knownHosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes "$@"\n`);
    chmodSync(ssh, 0o755);

    // iptables.ssh.path is machine-scoped: VS Code's server reads it from its machine settings only
    mkdirSync(join(work, 'user-data', 'Machine'), { recursive: true });
    writeFileSync(join(work, 'user-data', 'Machine', 'settings.json'), `${JSON.stringify({ 'iptables.ssh.path': ssh }, null, 2)}\n`);
    server = await startVsCodeServer({
      work,
      privateNetwork: true,
      args: ['--disable-workspace-trust'],
      settings: {
        ...steadyWorkbench,
        'iptables.hosts': [{ name: 'lab-router', host: router.routerIp, user: 'root', identityFile: router.key }],
        'iptables.apply.rollbackSeconds': ROLLBACK_SECONDS,
      },
    });
    // the host end of the router's link joins the server's namespace (it loses its address on the move)
    run(['ip', 'link', 'set', 'dev', router.veth, 'netns', String(server.pid)]);
    const inServer = ['nsenter', `--net=/proc/${server.pid}/ns/net`];
    run([...inServer, 'ip', 'addr', 'add', `${router.hostIp}/30`, 'dev', router.veth]);
    run([...inServer, 'ip', 'link', 'set', router.veth, 'up']);

    browser = await openBrowser(work, server);
    const { page } = browser;
    try {
      await openWorkbench(page, server.url(server.remote(workspace)));
      await command(page, 'View: Toggle Primary Side Bar Visibility');

      // first run: keep the new rules
      await applyRulesV4(page, host, 'Keep', true);
      const kept = router.save();
      assert.notEqual(kept, previous, 'the router holds new rules');
      assert.doesNotMatch(kept, /--dport 2222/, 'the previous filter rules are replaced');
      // what the router holds is what its own iptables-restore makes of rules.v4
      router.load(rulesV4);
      assert.equal(kept, router.save(), 'the applied rules are rules.v4 as the router loads it');

      // every command run is listed in the output channel, with the host summary of the checks
      await eventually('the output channel to list the confirm', () => /# confirm \(new connection\)$/m.test(outputChannel(work)));
      const channel = outputChannel(work);
      for (const purpose of ['preflight', 'arm the rollback', 'apply', 'confirm (new connection)']) {
        assert.match(channel, new RegExp(`^\\$ ${ssh.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} .* # ${purpose.replace(/[()]/g, '\\$&')}$`, 'm'), `the channel lists the ${purpose} command`);
      }
      assert.match(channel, /^Host: iptables v\S+ \((nf_tables|legacy)\).*, root login, ip_forward=\d/m, 'the channel shows the host summary');

      // second run: the router holds the previous rules again; revert after the apply
      router.load(previousRules);
      assert.equal(router.save(), previous);
      await applyRulesV4(page, host, 'Revert', false);
      assert.equal(router.save(), previous, 'Revert puts the previous rules back');

      // third run: no answer; the rollback armed before the apply fires after rollbackSeconds
      await applyRulesV4(page, host, 'no answer', false);
      assert.equal(router.save(), previous, 'without an answer the previous rules come back');
      await eventually('the output channel to say nobody answered', () => /^No answer before the rollback time\. Waiting for the rollback/m.test(outputChannel(work)));
    } catch (e) {
      await page.screenshot({ path: join(work, 'failure.png') }).catch(() => undefined);
      process.stdout.write(`page console:\n${browser.console.slice(-60).join('\n')}\noutput channel:\n${outputChannel(work)}\nscreenshot of the failure: ${join(work, 'failure.png')}\n`);
      throw e;
    }
  } finally {
    await browser?.close();
    await server?.stop();
    router.down();
    if (existsSync(remoteBase)) {
      for (const e of readdirSync(remoteBase)) if (!remoteBefore.has(e)) rmSync(join(remoteBase, e), { recursive: true, force: true });
      if (!remoteExisted) rmSync(remoteBase, { recursive: true, force: true });
    }
  }
});

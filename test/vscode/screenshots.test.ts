import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.ts';
import { packageVsix } from './packageVsix.ts';
import { freshWork, installVsix, makeSampleWorkspace, openBrowser, startVsCodeServer, workbenchSkip } from './vscodeServer.ts';
import { command, goToLine, openFile, openWorkbench, shot, steadyWorkbench } from './workbenchPage.ts';

/**
 * The packaged extension (.vsix) installed into code-server's VS Code, as a user sees it:
 * headless Chromium opens the example workspace, and the test reads the screen (the DOM) for the DNAT finding in the Problems
 * panel, the hover on PREROUTING and the completion after `-j `, saving each as a screenshot for
 * the README (docs/images). Server and browser share a network namespace with only loopback.
 */
const skip = workbenchSkip();

const examples = join(repoRoot, 'examples');
/** 1-based line of the port forward in the example router script. */
const dnatLine = readFileSync(join(examples, 'port-forward-router.sh'), 'utf8').split('\n').findIndex((l) => l.includes('-j DNAT')) + 1;

test('the workbench shows the DNAT finding, the hover on PREROUTING, the completion after -j and the apply host picker', { skip, timeout: 240_000 }, async () => {
  const work = freshWork('screenshots');
  const workspace = makeSampleWorkspace(join(work, 'workspace'), examples);
  installVsix(work, packageVsix(work));
  const server = await startVsCodeServer({
    work,
    privateNetwork: true,
    args: ['--disable-workspace-trust'],
    settings: {
      ...steadyWorkbench,
      'editor.hover.above': false,
      // completion opens only when the test asks (Ctrl+Space), so the list it reads is the one it shows
      'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
      'editor.suggestOnTriggerCharacters': false,
      'iptables.hosts': [
        { name: 'office-gateway', host: '10.200.0.1', user: 'admin', sudo: true },
        { name: 'home-router', host: '10.200.1.1', user: 'root', port: 2222 },
      ],
    },
  });
  const browser = await openBrowser(work, server);
  const { page } = browser;
  try {
    await openWorkbench(page, server.url(server.remote(workspace)));
    await openFile(page, 'port-forward-router.sh');

    // Problems panel: the DNAT finding with its code, on the rule's line
    await command(page, 'View: Toggle Primary Side Bar Visibility');
    await command(page, 'Problems: Focus on Problems View');
    const finding = page.locator('.markers-panel .monaco-list-row', { hasText: 'dnat-without-forward-accept' });
    await finding.waitFor({ timeout: 60_000 });
    assert.match(await finding.innerText(), new RegExp(`Ln ${dnatLine}, Col 1`));
    await finding.click();
    await goToLine(page, dnatLine);
    await shot(page, 'problems');

    // hover on PREROUTING in the DNAT rule: the chain explained, with the finding on that line
    await command(page, 'View: Hide Panel');
    const token = page.locator('.view-line', { hasText: '-j DNAT' }).locator('span', { hasText: /^PREROUTING$/ }).last();
    await token.hover();
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'PREROUTING' });
    await hover.waitFor({ timeout: 30_000 });
    const text = await hover.innerText();
    assert.match(text, /before the routing decision/i);
    assert.match(text, /\[PREROUTING\]/);
    assert.match(text, /dnat-without-forward-accept/, 'the finding on that line shows in the same hover');
    // the hover is resizable: pull its lower edge down so the whole drawing shows, as a user would
    const edge = await page.locator('.monaco-resizable-hover .monaco-sash.orthogonal-edge-south:not(.disabled)').boundingBox();
    if (edge) {
      await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
      await page.mouse.down();
      await page.mouse.move(edge.x + edge.width / 2, 740, { steps: 8 });
      await page.mouse.up();
    }
    await shot(page, 'hover');

    // completion after `-j ` in a new nat PREROUTING rule: DNAT among the targets
    await page.mouse.move(5, 790);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('$IPT -t nat -A PREROUTING -i wan0 -p tcp --dport 443 -j ', { delay: 20 });
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.suggest-widget.visible');
    await suggest.locator('.monaco-list-row', { hasText: /^DNAT/ }).waitFor({ timeout: 30_000 });
    const labels = await suggest.locator('.monaco-list-row .label-name').allInnerTexts();
    assert.ok(labels.includes('DNAT'), labels.join(' '));
    // the list with DNAT focused and its one-line description beside it (details pane closed)
    const details = page.locator('.suggest-details-container .suggest-details');
    if (await details.isVisible()) await page.keyboard.press('Control+Space');
    // walk the focus down until DNAT holds it: the rendered rows are virtualised and the list may
    // re-sort while late items arrive, so counting rows up front is not reliable
    const focusedDnat = suggest.locator('.monaco-list-row.focused', { hasText: /^DNAT/ });
    for (let i = 0; i < 80 && !(await focusedDnat.isVisible()); i++) {
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(60);
    }
    await focusedDnat.waitFor({ timeout: 5000 });
    await page.waitForTimeout(300);
    await shot(page, 'completion');
    await page.keyboard.press('Escape');

    // Apply Rules to Host… on rules.v4: the host picker (the hosts come from the iptables.hosts
    // setting; picking none, the test contacts nothing)
    await openFile(page, 'rules.v4');
    await command(page, 'iptables: Apply Rules to Host');
    const picker = page.locator('.quick-input-widget', { hasText: 'Apply rules to which host?' });
    await picker.locator('.monaco-list-row', { hasText: 'office-gateway' }).waitFor({ timeout: 30_000 });
    await shot(page, 'apply');
    await page.keyboard.press('Escape');
  } catch (e) {
    await page.screenshot({ path: join(work, 'failure.png') }).catch(() => undefined);
    process.stdout.write(`page console:\n${browser.console.slice(-80).join('\n')}\nscreenshot of the failure: ${join(work, 'failure.png')}\n`);
    throw e;

  } finally {
    await browser.close();
    await server.stop();
  }
});

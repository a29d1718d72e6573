import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { repoRoot } from '../support/paths.ts';
import { packageVsix } from './packageVsix.ts';
import { freshWork, installVsix, makeSampleWorkspace, openBrowser, startVsCodeServer, workbenchSkip } from './vscodeServer.ts';
import { command, openFile, openWorkbench, shot, steadyWorkbench } from './workbenchPage.ts';

/**
 * "Trace a Packet…" as a user drives it: the packaged .vsix in code-server's VS Code, headless
 * Chromium typing into the quick input (completion of values, a refused packet, a traced one),
 * the trace view (a webview) with its hooks and deciding rule, the rule highlighted in the
 * editor, a click in the view moving the editor's cursor, the recent packet offered again, and
 * the "Trace from here" lens above the DNAT rule. Server and browser share a network namespace
 * with only loopback.
 */
const skip = workbenchSkip();

const examples = join(repoRoot, 'examples');
const scriptName = 'port-forward-router.sh';
const script = readFileSync(join(examples, scriptName), 'utf8').split('\n');
/** 1-based line of the port forward (the rule that decides in PREROUTING) and its words. */
const dnatLine = script.findIndex((l) => l.includes('-j DNAT')) + 1;
const dnatRule = script[dnatLine - 1];
const wan = /-i (\S+)/.exec(dnatRule)![1];
const port = /--dport (\d+)/.exec(dnatRule)![1];
const interfaces = [...new Set(script.flatMap((l) => [...l.matchAll(/-[io] (\S+)/g)].map((m) => m[1])))];
/** A connection from the internet to the published port, the router's address given as its own. */
const packet = `in=${wan} proto=tcp dst=203.0.113.1 dport=${port} local=203.0.113.1`;

const quickInput = (page: Page) => page.locator('.quick-input-widget:visible');
const rows = (page: Page) => quickInput(page).locator('.monaco-list-row');
const focusedRow = (page: Page) => quickInput(page).locator('.monaco-list-row.focused');
const rowLabels = (page: Page) => rows(page).locator('.label-name').allInnerTexts();
const traceTab = (page: Page) => page.locator('.tabs-container .tab', { hasText: 'Packet Trace' });
/** The trace view's page: a webview is an iframe holding the extension's iframe. */
const traceFrame = (page: Page) => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

/** Closes the trace view if it is open (a middle click on its tab), leaving the script in front. */
async function closeTraceView(page: Page): Promise<void> {
  if ((await traceTab(page).count()) === 0) return;
  await traceTab(page).click({ button: 'middle' });
  await traceTab(page).waitFor({ state: 'detached' });
  await page.locator('.tab.active', { hasText: scriptName }).waitFor();
}

/** The packet input of "Trace a Packet…", on the editor's document. */
async function openTraceInput(page: Page): Promise<void> {
  await command(page, 'iptables: Trace a Packet');
  await quickInput(page).locator('.quick-input-title', { hasText: 'Trace a Packet' }).waitFor({ timeout: 30_000 });
}

interface Decorations {
  /** Text an extension decoration draws after a line (CSS ::after content), with its 1-based line. */
  after: { line: number; text: string }[];
  /** 1-based lines an extension decoration paints as a whole. */
  background: number[];
}

/**
 * The extension's decorations in an editor as drawn: VS Code gives each decoration type CSS
 * classes (`ced-…`) and draws `after` text through `::after`, so the test reads computed
 * styles, and maps each drawn row back to its line through the line-number gutter (a wrapped
 * line has several rows and one number).
 */
function decorations(editor: Locator): Promise<Decorations> {
  return editor.evaluate((ed) => {
    const topOf = (e: Element) => parseFloat((e as HTMLElement).style.top);
    const numbers = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')]
      .map((n) => ({ top: topOf(n.parentElement!), line: Number(n.textContent) }))
      .filter((n) => n.line > 0)
      .sort((a, b) => b.top - a.top);
    const lineAt = (top: number) => numbers.find((n) => n.top <= top)?.line ?? 0;
    const after: { line: number; text: string }[] = [];
    for (const row of ed.querySelectorAll('.view-lines > .view-line')) {
      for (const span of row.querySelectorAll('span[class*="ced-"]')) {
        const content = getComputedStyle(span, '::after').content;
        if (content && content !== 'none' && content !== 'normal') after.push({ line: lineAt(topOf(row)), text: content });
      }
    }
    const background = new Set<number>();
    for (const row of ed.querySelectorAll('.view-overlays > div')) {
      const painted = [...row.children].some((c) => /\bced-/.test(c.className) && !/rgba\(0, 0, 0, 0\)|transparent/.test(getComputedStyle(c).backgroundColor));
      if (painted) background.add(lineAt(topOf(row)));
    }
    return { after, background: [...background].sort((a, b) => a - b) };
  });
}

/** Polls `probe` until it holds (the workbench and the language server answer asynchronously). */
async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function typeSpec(page: Page, text: string): Promise<void> {
  const input = quickInput(page).locator('input');
  await input.fill('');
  await input.pressSequentially(text, { delay: 10 });
}

test('Trace a Packet: the quick input completes and checks the packet, the view draws its path, the editor shows the deciding rule, the lens traces from the DNAT rule', { skip, timeout: 300_000 }, async () => {
  const work = freshWork('trace');
  const workspace = makeSampleWorkspace(join(work, 'workspace'), examples);
  const otherWorkspace = makeSampleWorkspace(join(work, 'other-workspace'), examples);
  installVsix(work, packageVsix(work));
  const server = await startVsCodeServer({
    work,
    privateNetwork: true,
    args: ['--disable-workspace-trust'],
    settings: {
      ...steadyWorkbench,
      // the whole rule and the trace's note after it stay on screen beside the trace view
      'editor.wordWrap': 'on',
      'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    },
  });
  const browser = await openBrowser(work, server, { width: 1600, height: 900 });
  const { page } = browser;
  try {
    await openWorkbench(page, server.url(server.remote(workspace)));
    await command(page, 'View: Toggle Primary Side Bar Visibility');
    await openFile(page, scriptName);
    // the language server is up once the script's finding shows
    await page.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first().waitFor({ timeout: 60_000 });

    // a. the packet input: values of the document offered after `in=`
    await openTraceInput(page);
    await typeSpec(page, 'in=');
    await rows(page).filter({ hasText: `in=${wan}` }).first().waitFor({ timeout: 30_000 });
    const offered = await rowLabels(page);
    for (const i of interfaces) assert.ok(offered.includes(`in=${i}`), `in=${i} is offered; the list: ${offered.join(' | ')}`);
    // Enter on a completion puts it in the input, ready for the next field, and traces nothing
    const chosen = (await focusedRow(page).locator('.label-name').innerText()).trim();
    assert.ok(interfaces.map((i) => `in=${i}`).includes(chosen), `a value has the focus: ${chosen}`);
    await page.keyboard.press('Enter');
    const input = quickInput(page).locator('input');
    await until('the completion in the input', async () => (await input.inputValue()) === `${chosen} `);
    assert.ok(await quickInput(page).isVisible(), 'choosing a completion keeps the input open');
    assert.equal(await traceTab(page).count(), 0, 'choosing a completion traces nothing');
    // then the keys not used yet, narrowed by the letters typed
    await rows(page).filter({ hasText: 'out=' }).waitFor({ timeout: 30_000 });
    const unused = await rowLabels(page);
    assert.ok(unused.includes('proto=') && unused.includes('dport='), unused.join(' | '));
    assert.ok(!unused.includes('in='), `in= is used already: ${unused.join(' | ')}`);
    await input.pressSequentially('d');
    await until('the keys starting with d', async () => !(await rowLabels(page)).includes('out='));
    assert.deepEqual((await rowLabels(page)).filter((k) => k.endsWith('=')).sort(), ['dport=', 'dst=']);

    // an invalid port: the problem is shown and Enter traces nothing
    await typeSpec(page, `in=${wan} dport=eighty`);
    // the server's answer for the whole input (earlier answers were about `dport=e`, `dport=ei`…)
    await rows(page).filter({ hasText: /dport must be/ }).filter({ hasText: 'at dport=eighty' }).waitFor({ timeout: 30_000 });
    const title = quickInput(page).locator('.quick-input-title');
    assert.match(await title.innerText(), /^Trace a Packet — dport must be/);
    assert.equal(await rows(page).filter({ hasText: 'Trace this packet' }).count(), 0, 'no trace entry for a refused packet');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1500);
    assert.ok(await quickInput(page).isVisible(), 'Enter on a refused packet leaves the input open');
    assert.equal(await traceTab(page).count(), 0, 'no trace view for a refused packet');

    // a valid packet: Enter traces it
    await typeSpec(page, packet);
    // the extension host follows the keystrokes late: a trace row can show for an earlier
    // value (`… dport=8080 ` is a whole packet too) and then give way to completions, so wait
    // for the row of the whole packet
    const traceRow = rows(page).filter({ hasText: 'Trace this packet' }).filter({ hasText: 'local=203.0.113.1' });
    await traceRow.waitFor({ timeout: 30_000 });
    assert.match(await title.innerText(), /^Trace a Packet$/);
    // Enter takes the focused row: it must be the trace entry
    await until('the trace entry focused', async () => /Trace this packet/.test(await focusedRow(page).innerText()));
    await page.keyboard.press('Enter');
    await traceTab(page).waitFor({ timeout: 30_000 });
    assert.equal((await traceTab(page).innerText()).trim(), 'Packet Trace: DROP');
    const view = traceFrame(page);
    await view.locator('.flow').waitFor({ timeout: 30_000 });
    // the view names the packet as the server read it (with the defaults it assumed)
    const shown = (await view.locator('.packet code').innerText()).split(' ');
    for (const field of packet.split(' ')) assert.ok(shown.includes(field), `the view's packet has ${field}: ${shown.join(' ')}`);
    assert.equal(await view.locator('p .verdict').first().innerText(), 'DROP');
    const hook = (name: string) => view.locator('.node.hook', { has: view.locator('.title', { hasText: new RegExp(`^${name}`) }) });
    for (const h of ['PREROUTING', 'FORWARD', 'INPUT', 'POSTROUTING']) assert.equal(await hook(h).count(), 1, `the view draws ${h}`);
    assert.match(await hook('PREROUTING').getAttribute('class') ?? '', /\bpassed\b/);
    assert.match(await hook('FORWARD').getAttribute('class') ?? '', /\bdecided\b/, 'the verdict falls in FORWARD');
    assert.match(await hook('INPUT').getAttribute('class') ?? '', /\bskipped\b/);
    assert.match(await view.locator('.node.decision').innerText(), /routing decision/);
    const dnatStep = hook('PREROUTING').locator('button.step');
    assert.match(await dnatStep.innerText(), new RegExp(`nat/PREROUTING[\\s\\S]*line ${dnatLine}[\\s\\S]*-j DNAT`));
    assert.match(await hook('FORWARD').innerText(), /policy DROP/);

    // b. the deciding rule is highlighted in the editor, on its line and no other
    const editor = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: scriptName }) }).locator('.monaco-editor').first();
    const dnatView = editor.locator('.view-line', { hasText: '-j DNAT' });
    let marks: Decorations = { after: [], background: [] };
    await until('the trace decoration in the editor', async () => {
      marks = await decorations(editor);
      return marks.after.length > 0 && marks.background.length > 0;
    });
    assert.deepEqual(marks.background, [dnatLine], `the whole-line highlight is on line ${dnatLine} only`);
    assert.deepEqual(marks.after.map((a) => a.line), [dnatLine], `the text after the rule is on line ${dnatLine} only`);
    assert.match(marks.after[0].text, /◀ trace: nat\/PREROUTING: DNAT/);
    assert.match(marks.after[0].text, /192\.168\.50\.10:8080/, 'the NAT change is named');
    // on screen: the line is in view, not only in the DOM
    assert.ok(await dnatView.isVisible());

    // c. a click on the step moves the editor's cursor to the rule
    await dnatView.click();
    await page.keyboard.press('Control+Home');
    await page.locator('.statusbar', { hasText: 'Ln 1,' }).waitFor();
    await dnatStep.click();
    await page.locator('.statusbar', { hasText: `Ln ${dnatLine},` }).waitFor({ timeout: 30_000 });

    // f. the screenshot for the README: the view beside the editor, the rule highlighted (not
    // hidden under the selection the click left on it)
    // The editor takes the focus from the view's click a moment after the selection shows: an
    // Escape sent before that reaches the view and leaves the selection (CI saw it once). Escape
    // once the editor has the focus; where the focus stays in the view, Ctrl+1 gives it to the
    // first editor group, the script's (a click on the line, tried before, could wait on the
    // view for its own timeout while the selection stayed: a clean-clone run saw it once).
    await until(`the cursor on line ${dnatLine} with nothing selected`, async () => {
      const bar = await page.locator('.statusbar').innerText();
      if (bar.includes(`Ln ${dnatLine},`) && !bar.includes('selected')) return true;
      const focused = await editor.evaluate((e) => e.classList.contains('focused'));
      await page.keyboard.press(focused ? 'Escape' : 'Control+1');
      return false;
    });
    await page.mouse.move(5, 895);
    await page.waitForTimeout(300);
    await shot(page, 'trace');

    // d. the traced packet is offered again, first, as a recent one; choosing it traces it
    await closeTraceView(page);
    await openTraceInput(page);
    const recent = rows(page).filter({ hasText: packet });
    await recent.waitFor({ timeout: 30_000 });
    assert.match(await recent.innerText(), /recent/);
    assert.ok(await rows(page).filter({ hasText: 'recent packets' }).count(), 'a "recent packets" heading');
    assert.match(await focusedRow(page).innerText(), new RegExp(`${packet}[\\s\\S]*recent`), 'the recent packet has the focus');
    await page.keyboard.press('Enter');
    await traceTab(page).waitFor({ timeout: 30_000 });
    await view.locator('.flow').waitFor({ timeout: 30_000 });
    assert.ok((await view.locator('.packet code').innerText()).split(' ').includes(`dst=203.0.113.1`), 'the recent packet traced again');

    // remembered by the workspace, not the window: still there after a reload
    await page.reload();
    await page.locator('.tab.active', { hasText: scriptName }).waitFor({ timeout: 60_000 });
    await dnatView.click();
    await openTraceInput(page);
    await rows(page).filter({ hasText: packet }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden' });

    // and only by this workspace: another folder has no recent packets
    await openWorkbench(page, server.url(server.remote(otherWorkspace)));
    await openFile(page, scriptName);
    await page.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first().waitFor({ timeout: 60_000 });
    await openTraceInput(page);
    await rows(page).filter({ hasText: 'in=' }).first().waitFor({ timeout: 30_000 });
    assert.equal(await rows(page).filter({ hasText: 'recent' }).count(), 0, 'no recent packets in another workspace');
    await page.keyboard.press('Escape');
    await quickInput(page).waitFor({ state: 'hidden' });
    await closeTraceView(page);

    // e. the "Trace from here" lens above the DNAT rule traces the packet that rule matches
    const lens = editor.locator('.contentWidgets .codelens-decoration a', { hasText: 'Trace from here' });
    await lens.waitFor({ timeout: 30_000 });
    assert.equal(await lens.count(), 1, 'one lens: the one DNAT rule');
    // the lens sits right above its rule. Measured until both boxes are there: the workbench
    // rebuilds a lens's link when it resolves lenses again, and a box read in between is null
    // (CI saw this once).
    type Box = Awaited<ReturnType<typeof lens.boundingBox>>;
    let lensBox = null as Box;
    let ruleBox = null as Box;
    await until(`the boxes of the lens and of line ${dnatLine}`, async () => {
      [lensBox, ruleBox] = [await lens.boundingBox(), await dnatView.boundingBox()];
      return !!lensBox && !!ruleBox;
    }, 10_000);
    assert.ok(lensBox && ruleBox && ruleBox.y - lensBox.y > 0 && ruleBox.y - lensBox.y < 2 * ruleBox.height, `the lens is above line ${dnatLine}: ${JSON.stringify({ lensBox, ruleBox })}`);
    // a click on the lens came to nothing once under load (a clean clone's run waited 30 s for
    // a view after it, the lens still there): clicked again every 10 s until the view is there;
    // a second trace of the same packet shows in the same view
    let clicked = 0;
    await until('the trace view of the lens', async () => {
      if (await traceTab(page).first().isVisible()) return true;
      if (Date.now() - clicked > 10_000) {
        await lens.click();
        clicked = Date.now();
      }
      return false;
    }, 60_000);
    assert.equal((await traceTab(page).innerText()).trim(), 'Packet Trace: DROP', 'the forwarded port is still dropped in FORWARD');
    await view.locator('.flow').waitFor({ timeout: 30_000 });
    const lensPacket = await view.locator('.packet code').innerText();
    for (const field of [`in=${wan}`, 'proto=tcp', `dport=${port}`]) assert.ok(lensPacket.split(' ').includes(field), `the lens's packet has ${field}: ${lensPacket}`);
    assert.match(await hook('PREROUTING').locator('button.step').innerText(), new RegExp(`line ${dnatLine}[\\s\\S]*-j DNAT`));
  } catch (e) {
    await page.screenshot({ path: join(work, 'failure.png') }).catch(() => undefined);
    process.stdout.write(`page console:\n${browser.console.slice(-80).join('\n')}\nscreenshot of the failure: ${join(work, 'failure.png')}\n`);
    throw e;
  } finally {
    await browser.close();
    await server.stop();
  }
});

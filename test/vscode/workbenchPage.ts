// Moves in the browser workbench shared by the UI tests (screenshots, apply flow): run a
// command by its title, open a file, go to a line, and save a screenshot for the README.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/paths.ts';

export const images = join(repoRoot, 'docs', 'images');

/** Settings for a calm screen: no minimap, sticky scroll or layout buttons, and a cursor that does not blink (the same screen gives the same image). */
export const steadyWorkbench = {
  'editor.stickyScroll.enabled': false,
  'editor.minimap.enabled': false,
  'workbench.layoutControl.enabled': false,
  'editor.cursorBlinking': 'solid',
};

/** Loads a workbench URL and waits for its editor area: the workbench is then ready for commands. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 60_000 });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(images, { recursive: true });
  await page.screenshot({ path: join(images, `${name}.png`) });
}

/**
 * Opens a quick input with `key`, types `text` and waits for a row holding `rowText`. A quick
 * input opened while another is still closing can come up without the text typed into it (seen
 * once in CI, under two browsers at once), so it is closed and opened again while time is left;
 * when it never offers the row, the error says what the quick input held.
 */
async function pickFromQuickInput(page: Page, key: string, text: string, rowText: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: rowText }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    await input.waitFor();
    await input.fill(text);
    try {
      await row.waitFor({ timeout: Math.max(1, Math.min(10_000, deadline - Date.now())) });
      break;
    } catch (e) {
      if (Date.now() >= deadline) {
        const value = await input.inputValue().catch(() => '(no input)');
        const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts().catch(() => []);
        throw new Error(`the quick input did not offer "${rowText}" in ${timeoutMs} ms (${attempt} tries); it held ${JSON.stringify(value)} with rows: ${rows.join(' | ') || '(none)'}`, { cause: e });
      }
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** Runs a workbench command through the command palette, by its title. */
export async function command(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  await pickFromQuickInput(page, 'F1', `>${title}`, title, timeoutMs);
}

export async function goToLine(page: Page, line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}`);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar', { hasText: `Ln ${line},` }).waitFor();
}

export async function openFile(page: Page, name: string): Promise<void> {
  await pickFromQuickInput(page, 'Control+P', name, name, 30_000);
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

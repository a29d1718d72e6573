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
 * Runs a workbench command through the command palette, by its title. A palette opened while
 * another quick input is still closing can come up without the text typed into it (seen once in
 * CI, under two browsers at once), so the palette is closed and opened again while time is left;
 * when it never offers the command, the error says what the palette held.
 */
export async function command(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: Math.max(1, Math.min(10_000, deadline - Date.now())) });
      break;
    } catch (e) {
      if (Date.now() >= deadline) {
        const value = await input.inputValue().catch(() => '(no input)');
        const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts().catch(() => []);
        throw new Error(`the command palette did not offer "${title}" in ${timeoutMs} ms (${attempt} tries); it held ${JSON.stringify(value)} with rows: ${rows.join(' | ') || '(none)'}`, { cause: e });
      }
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
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
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

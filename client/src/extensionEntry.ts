import { join } from 'node:path';
import type { ExtensionContext } from 'vscode';
import { requireWithCodeCache } from './codeCache.ts';

type Main = typeof import('./extension.ts');

let main: Main | undefined;

/** How long after activation the compiled code is saved: activation's own functions are in it, and the window's start is over. */
const SAVE_AFTER_MS = 3000;

/**
 * The extension's entry (dist/extension.cjs): loads the extension (dist/extension-main.cjs)
 * with V8's compiled code from the last start, kept in the extension's global storage. Its
 * compile and first run took 70–80 ms of an 80–100 ms activation; with the code kept, 40–50.
 */
export function activate(context: ExtensionContext): void {
  const loaded = requireWithCodeCache(join(__dirname, 'extension-main.cjs'), context.globalStorageUri?.fsPath);
  main = loaded.exports as Main;
  main.activate(context);
  setTimeout(() => void loaded.save(), SAVE_AFTER_MS).unref();
}

export async function deactivate(): Promise<void> {
  await main?.deactivate();
}

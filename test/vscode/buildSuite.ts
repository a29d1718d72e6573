// Bundles the extension-host suite (test/vscode/suite) into one CommonJS file, the form VS Code's
// extension host loads as `extensionTestsPath`. It sits inside the extension's folder, so its
// `require('vscode')` is the same API object the extension gets.
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { repoRoot } from '../support/paths.ts';

export const suiteBundle = join(repoRoot, 'out', 'vscode-suite', 'index.cjs');

export function buildSuite(): string {
  buildSync({
    entryPoints: [join(repoRoot, 'test', 'vscode', 'suite', 'index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile: suiteBundle,
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return suiteBundle;
}

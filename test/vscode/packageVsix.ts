// The .vsix of the extension as `npx @vscode/vsce package` (and `npm run package`) makes it, with
// no flags: the manifest's `vsce` block holds the options. Built from a staged copy of the files
// vsce lists, so a test never rebuilds dist/ under other tests' feet (vsce runs the
// vscode:prepublish build script in the folder it packages).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/paths.ts';

const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');

function run(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [vsce, ...args], { cwd, encoding: 'utf8', input: '' });
  if (r.status !== 0) throw new Error(`vsce ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Packages the built extension (dist/ must be built) into `<work>/iptables-language-support.vsix`. */
export function packageVsix(work: string): string {
  const stage = join(work, 'vsix-stage');
  rmSync(stage, { recursive: true, force: true });
  for (const file of run(['ls', '--no-dependencies'], repoRoot).trim().split('\n').filter(Boolean)) {
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(stage, file));
  }
  const manifest = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  delete manifest.scripts?.['vscode:prepublish'];
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2));
  const vsix = join(work, 'iptables-language-support.vsix');
  run(['package', '-o', vsix], stage);
  return vsix;
}

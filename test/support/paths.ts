import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpusRoot = join(repoRoot, '..', 'shared', 'corpus');
export const dist = (name: string) => join(repoRoot, 'dist', name);

/** Every file under `dir`, each directory's entries in name order (the same order on every machine). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((e) => {
      const p = join(dir, e);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

/**
 * Skips loudly on a developer machine; under CI=true a missing prerequisite fails instead.
 * Returns the reason to pass to `test(..., { skip })`, or false when everything is there.
 */
export function requirement(ok: boolean, reason: string): string | false {
  if (ok) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true and a test prerequisite is missing: ${reason}`);
  process.stderr.write(`\n*** SKIP: ${reason} ***\n\n`);
  return reason;
}

export function needBuild(): string | false {
  return requirement(existsSync(dist('iptables-lint.cjs')) && existsSync(dist('iptables-language-server.cjs')), 'dist/ is not built: run `npm run build` (npm test does it)');
}

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectDialect } from '../../server/src/core/dialect.ts';

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
 * The corpus's save files that iptables-restore can be given as they are: the dumps and
 * restore files with a `*table` line and no shell in them (some are scripts that write one).
 */
export function corpusSaveFiles(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const dir of ['dumps', 'restore-files']) {
    for (const file of filesUnder(join(corpusRoot, dir))) {
      const text = readFileSync(file, 'utf8');
      if (/^\*(filter|nat|mangle|raw|security)\s*$/m.test(text) && !/^\s*(\$|iptables )/m.test(text)) out.push({ file, text });
    }
  }
  return out;
}

/** The shell scripts of the corpus (where it is here) and of the examples, as the dialect detection tells them. */
export function corpusScripts(): { file: string; text: string }[] {
  const files = [...(existsSync(corpusRoot) ? filesUnder(corpusRoot) : []), ...filesUnder(join(repoRoot, 'examples'))];
  const out: { file: string; text: string }[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (detectDialect(text, file) === 'script') out.push({ file, text });
  }
  return out;
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

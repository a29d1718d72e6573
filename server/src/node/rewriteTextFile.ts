import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes `text` over a file that was read as `was`, only when the file still holds exactly
 * that: a file changed since it was read, or whose bytes did not decode as UTF-8 (the
 * decoder's replacement characters would be written back), is left alone with a reason. A
 * byte order mark is in both texts, read with the file (see ReadOptions). The file is written
 * in place, so its owner and mode stay too.
 */
export function rewriteTextFile(path: string, was: string, text: string): { ok: true } | { ok: false; reason: string } {
  try {
    const bytes = readFileSync(path);
    if (!Buffer.from(was).equals(bytes)) {
      return { ok: false, reason: `${path} was not rewritten: it changed since it was read, or it is not all UTF-8` };
    }
    writeFileSync(path, text);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

import { readFileSync, writeFileSync } from 'node:fs';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Writes `text` over a file that was read as `was`, only when the file still holds exactly
 * that: a file changed since it was read, or whose bytes did not decode as UTF-8 (the
 * decoder's replacement characters would be written back), is left alone with a reason. A
 * byte-order mark stays. The file is written in place, so its owner and mode stay too.
 */
export function rewriteTextFile(path: string, was: string, text: string): { ok: true } | { ok: false; reason: string } {
  try {
    const bytes = readFileSync(path);
    const bom = bytes.subarray(0, 3).equals(BOM);
    if (!Buffer.from(was).equals(bom ? bytes.subarray(3) : bytes)) {
      return { ok: false, reason: `${path} was not rewritten: it changed since it was read, or it is not all UTF-8` };
    }
    writeFileSync(path, bom ? Buffer.concat([BOM, Buffer.from(text)]) : text);
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

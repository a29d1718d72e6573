import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Whether the file on disk starts with a UTF-8 byte order mark. Editors leave the mark out of
 * the text they hand to the language server (VS Code shows "UTF-8 with BOM" in its status bar)
 * and keep it when they save, where iptables-restore fails on line 1 of such a file. False when
 * the file cannot be read.
 */
export function savedWithByteOrderMark(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(3);
    return readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

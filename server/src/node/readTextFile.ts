import { readFileSync } from 'node:fs';
import { HEAD_CHARS } from '../core/limits.ts';

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string };

export interface ReadOptions {
  /**
   * Keep a UTF-8 byte order mark as the text's first character, as iptables-restore reads it
   * (it fails on line 1; the save file's check says so): for a lint. Left out otherwise, where
   * the rules are loaded, traced or compiled by the product itself.
   */
  keepByteOrderMark?: boolean;
}

/**
 * Reads a rules file as text. Binary content (NUL bytes, or mostly invalid UTF-8) is refused
 * with a reason instead of being linted as garbage.
 */
export function readTextFile(path: string, options: ReadOptions = {}): ReadResult {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    return { ok: false, reason: `cannot read ${path}: ${why}` };
  }
  return decodeText(buf, path, options);
}

/**
 * Standard input as a rules text (the CLI's file `-`: an editor's unsaved buffer, a pipe), with
 * the same refusals as a file's.
 */
export function readStdinText(read: (() => Uint8Array) | undefined, options: ReadOptions = {}): ReadResult {
  if (!read) return { ok: false, reason: 'cannot read standard input here' };
  let buf: Uint8Array;
  try {
    buf = read();
  } catch (e) {
    return { ok: false, reason: `cannot read standard input: ${(e as Error).message}` };
  }
  return decodeText(buf, 'standard input', options);
}

export function decodeText(buf: Uint8Array, path: string, options: ReadOptions = {}): ReadResult {
  const head = buf.subarray(0, HEAD_CHARS);
  if (head.includes(0)) return { ok: false, reason: `${path} looks like a binary file (it contains NUL bytes), not iptables rules` };
  const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: options.keepByteOrderMark === true }).decode(buf);
  const bad = (text.slice(0, HEAD_CHARS).match(/\uFFFD/g) ?? []).length;
  if (bad > 16 && bad > head.length / 100) return { ok: false, reason: `${path} is not UTF-8 text` };
  return { ok: true, text };
}

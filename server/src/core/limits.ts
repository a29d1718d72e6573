import type { Dialect } from './model/types.ts';

/**
 * What the analysis takes on. Past these, a document gets one `analysis-skipped` finding
 * saying why, instead of a parse that would take the editor's memory and seconds per edit.
 */
export const DEFAULT_MAX_BYTES = 20_000_000;

/** How much of the start of a text the checks below, the dialect and family detection and the CLI's binary check look at. */
export const HEAD_CHARS = 65_536;

export type SkipReason =
  | { kind: 'binary'; at: number }
  | { kind: 'too-large'; size: number; limit: number }
  /** The model would not fit in the memory the front end has left for it (see memorySkip). */
  | { kind: 'memory'; size: number; needs: number; room: number };

/** `text` may be the start of the document only (at least HEAD_CHARS of it), with the document's `length`. */
export function skipReason(text: string, maxBytes = DEFAULT_MAX_BYTES, length = text.length): SkipReason | undefined {
  // NUL bytes are never in rules text: the start is enough to tell a binary file, and only it
  // is searched (every edit of a 15 MB dump asks again)
  const nul = (text.length > HEAD_CHARS ? text.slice(0, HEAD_CHARS) : text).indexOf('\u0000');
  if (nul !== -1) return { kind: 'binary', at: nul };
  // one UTF-16 unit is at least one byte: the length is a lower bound of the size in bytes
  if (length > maxBytes) return { kind: 'too-large', size: length, limit: maxBytes };
  return undefined;
}

/**
 * Bytes of heap a document's model and analysis take at their peak, per character of its text.
 * Measured with Node 22's `--max-old-space-size` on the language server (a document opened,
 * its findings, hovers on another one): the 100k-rule dump (14.8 M characters) ran in 280 MB
 * and not in 256; the 100k-rule router script (12.4 M) in 800 MB, and a 160k-rule one (19.8 M,
 * under the size limit) not in 1 GB, where the server was killed. A script's model keeps its
 * shell commands and words beside the rules, about four times a dump's per rule. Rounded up, so
 * that a document let in fits with a margin.
 */
export const MODEL_HEAP_PER_CHAR: Readonly<Record<Dialect, number>> = { save: 20, script: 70 };

/**
 * Bytes of heap a document's model keeps once made, per character: measured after a full
 * collection, a dump's 11–12.3 (the 10k- and 100k-rule ones), a router script's 57–60.
 */
export const MODEL_KEPT_PER_CHAR: Readonly<Record<Dialect, number>> = { save: 13, script: 62 };

/** The heap a document of `length` characters takes while it is modelled and analysed (see MODEL_HEAP_PER_CHAR). */
export function modelHeapBytes(length: number, dialect: Dialect): number {
  return length * MODEL_HEAP_PER_CHAR[dialect];
}

/** The heap a document of `length` characters keeps once modelled (see MODEL_KEPT_PER_CHAR). */
export function keptModelBytes(length: number, dialect: Dialect): number {
  return length * MODEL_KEPT_PER_CHAR[dialect];
}

/**
 * A document whose model would take more than `room` bytes of heap (what the front end has
 * left for it, undefined: no bound) is not modelled: a model that does not fit ends the
 * process, every open document's findings with it.
 */
export function memorySkip(length: number, dialect: Dialect, room: number | undefined): SkipReason | undefined {
  if (room === undefined) return undefined;
  const needs = modelHeapBytes(length, dialect);
  return needs > room ? { kind: 'memory', size: length, needs, room: Math.max(0, room) } : undefined;
}

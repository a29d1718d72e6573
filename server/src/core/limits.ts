/**
 * What the analysis takes on. Past these, a document gets one `analysis-skipped` finding
 * saying why, instead of a parse that would take the editor's memory and seconds per edit.
 */
export const DEFAULT_MAX_BYTES = 20_000_000;

/** How much of the start of a text the checks below, the dialect and family detection and the CLI's binary check look at. */
export const HEAD_CHARS = 65_536;

export type SkipReason =
  | { kind: 'binary'; at: number }
  | { kind: 'too-large'; size: number; limit: number };

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

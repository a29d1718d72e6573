/** One edit: [start, end) of the old text replaced by `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * `[from, to)` of the text after `edit`, cut from the text before it. After an edit the new
 * text is two slices of the old one joined; the engine copies such a string into one piece the
 * first time anything reads it, and for a 15 MB dump that copy took 45–55 ms on the machines
 * the bench runs on (most of a keystroke's time, spent in page faults). Reading through the
 * old text, which is in one piece already, leaves the copy to a quiet moment (see
 * FirewallDocument.settleText).
 */
export function sliceAfterEdit(old: string, edit: Edit, from: number, to: number): string {
  const { start, text } = edit;
  const inserted = start + text.length;
  // offsets past the inserted text sit `delta` further on than in the old text
  const delta = text.length - (edit.end - start);
  let out = '';
  if (from < start) out += old.slice(from, Math.min(to, start));
  if (to > start && from < inserted) out += text.slice(Math.max(from - start, 0), Math.min(to, inserted) - start);
  if (to > inserted) out += old.slice(Math.max(from, inserted) - delta, to - delta);
  return out;
}

import type { CharSource } from './charSource.ts';

/** One edit: [start, end) of the old text replaced by `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * A text as the one-piece text it was and the edits made since, in order, read without joining
 * the pieces the edits made. After an edit the new text is two slices of the old one joined;
 * the engine copies such a string into one piece the first time anything reads it, and for a
 * 15 MB dump that copy took 45–55 ms on the machines the bench runs on (most of a keystroke's
 * time, spent in page faults). Reading through the one-piece text and the edits, however many
 * keystrokes came, leaves the copy to a quiet moment (see FirewallDocument.settleText).
 */
export class EditedText implements CharSource {
  readonly base: string;
  readonly edits: readonly Edit[];

  constructor(base: string, edits: readonly Edit[] = []) {
    this.base = base;
    this.edits = edits;
  }

  /**
   * The same text after one more edit (offsets in the text as it reads now). An edit inside
   * or at either end of what the last one inserted (the next character typed, or one taken
   * back) is made part of it: typing in one place keeps one edit, and a read goes through as
   * many edits as places were typed in.
   */
  with(edit: Edit): EditedText {
    const last = this.edits.at(-1);
    if (last && edit.start >= last.start && edit.end <= last.start + last.text.length) {
      const text = last.text.slice(0, edit.start - last.start) + edit.text + last.text.slice(edit.end - last.start);
      return new EditedText(this.base, [...this.edits.slice(0, -1), { start: last.start, end: last.end, text }]);
    }
    return new EditedText(this.base, [...this.edits, edit]);
  }

  /** The character code at `offset` of the text after every edit (NaN past its end, as a string's). */
  charCodeAt(offset: number): number {
    let at = offset;
    for (let k = this.edits.length - 1; k >= 0; k--) {
      const { start, end, text } = this.edits[k];
      if (at < start) continue;
      if (at < start + text.length) return text.charCodeAt(at - start);
      at -= text.length - (end - start);
    }
    return this.base.charCodeAt(at);
  }

  /** `[from, to)` of the text after every edit (see read). */
  slice(from: number, to: number): string {
    return this.read(from, to);
  }

  get length(): number {
    let n = this.base.length;
    for (const e of this.edits) n += e.text.length - (e.end - e.start);
    return n;
  }

  /** `[from, to)` of the text after every edit: slices of the base and of the edits' texts, joined. */
  read(from: number, to: number): string {
    return this.readAfter(this.edits.length, from, to);
  }

  /** `[from, to)` of the text after the first `count` edits. */
  private readAfter(count: number, from: number, to: number): string {
    if (count === 0) return this.base.slice(from, to);
    const { start, end, text } = this.edits[count - 1];
    const inserted = start + text.length;
    // offsets past the inserted text sit `delta` further on than in the text before the edit
    const delta = text.length - (end - start);
    let out = '';
    if (from < start) out += this.readAfter(count - 1, from, Math.min(to, start));
    if (to > start && from < inserted) out += text.slice(Math.max(from - start, 0), Math.min(to, inserted) - start);
    if (to > inserted) out += this.readAfter(count - 1, Math.max(from, inserted) - delta, to - delta);
    return out;
  }
}

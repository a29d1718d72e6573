import type { CharSource } from './charSource.ts';

/**
 * Offsets ↔ (line, character) for one text. Built once per text version; lookups are a
 * binary search, so converting thousands of diagnostics on a 100k-line file stays cheap.
 * Lines and characters are 0-based here; front ends add 1 where their contract says so.
 */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  /** Offset at which each line starts. */
  readonly lineStarts: Uint32Array;
  readonly length: number;

  constructor(text: string, lineStarts?: Uint32Array) {
    if (lineStarts) {
      this.lineStarts = lineStarts;
      this.length = text.length;
      return;
    }
    const starts: number[] = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.lineStarts = Uint32Array.from(starts);
    this.length = text.length;
  }

  /**
   * The index of the text after one edit (offsets in the old text): the lines before it are
   * kept, the inserted text is searched, the lines after it move. A 15 MB dump is not searched
   * again on every keystroke.
   */
  static afterEdit(old: LineIndex, change: { start: number; end: number; text: string }, newText: string): LineIndex {
    const starts = old.lineStarts;
    const first = old.lineOf(change.start);
    const last = old.lineOf(change.end);
    const delta = change.text.length - (change.end - change.start);
    const inserted: number[] = [];
    for (let i = change.text.indexOf('\n'); i !== -1; i = change.text.indexOf('\n', i + 1)) inserted.push(change.start + i + 1);
    const tail = starts.length - (last + 1);
    const out = new Uint32Array(first + 1 + inserted.length + tail);
    out.set(starts.subarray(0, first + 1), 0);
    out.set(inserted, first + 1);
    const at = first + 1 + inserted.length;
    for (let k = 0; k < tail; k++) out[at + k] = starts[last + 1 + k] + delta;
    return new LineIndex(newText, out);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  lineOf(offset: number): number {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    const line = this.lineOf(clamped);
    return { line, character: clamped - this.lineStarts[line] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.length;
    if (position.line < 0) return 0;
    const start = this.lineStarts[position.line];
    const next = position.line + 1 < this.lineStarts.length ? this.lineStarts[position.line + 1] : this.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  /** End of the line's content, before its `\n` (and a `\r` before that). */
  lineEnd(line: number, text: CharSource): number {
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] - 1 : this.length;
    if (end > this.lineStarts[line] && text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}

import type { Span } from './span.ts';

/** What a line's spans are measured from: the line's own start, kept current as edits move it. */
export interface LineAnchor {
  start: number;
}

/**
 * A span inside one line of a save file, stored as offsets from the line's start. An edit
 * above the line moves its anchor, one number, and every span of the line moves with it: on a
 * 100k-rule dump an edit no longer rewrites the twenty spans of each of the lines below it.
 *
 * The offset and the length share one small integer, below 2^30 so that V8 keeps it in the
 * object unboxed: 8 bytes less for each of the 1.5 million words, option groups and spans of
 * the 100k dump (12 MB). A span that does not fit (past the 32,767th character of a line)
 * is a plain one: make them with `spanIn`. It never moves by assignment: its line moves it.
 */
export class LineSpan implements Span {
  readonly anchor: LineAnchor;
  /** Offset from the line's start × 2^15 + length; a subclass may keep its own layout here and read it with its own getters (see LineOption). */
  protected at: number;

  /** Only for a span that `fitsIn` the line: made through `spanIn` and the subclasses' factories, which check. */
  protected constructor(anchor: LineAnchor, start: number, end: number) {
    this.anchor = anchor;
    this.at = (start - anchor.start) * LIMIT + (end - start);
  }

  static fitsIn(anchor: LineAnchor, start: number, end: number): boolean {
    const from = start - anchor.start;
    const length = end - start;
    return from >= 0 && from < LIMIT && length >= 0 && length < LIMIT;
  }

  get start(): number {
    return this.anchor.start + (this.at >>> SHIFT);
  }

  get end(): number {
    return this.anchor.start + (this.at >>> SHIFT) + (this.at & (LIMIT - 1));
  }

  /** The plain `{ start, end }` it stands for (JSON output, test messages). */
  toJSON(): Span {
    return { start: this.start, end: this.end };
  }
}

const SHIFT = 15;
const LIMIT = 1 << SHIFT;

/** A span measured from `anchor` when there is one and the span fits (see LineSpan), a plain span otherwise. */
export function spanIn(anchor: LineAnchor | undefined, start: number, end: number): Span {
  return anchor && LineSpan.fitsIn(anchor, start, end) ? new MeasuredSpan(anchor, start, end) : { start, end };
}

/** A span of a line and nothing more (LineSpan's constructor is its subclasses', which check the fit first). */
class MeasuredSpan extends LineSpan {
  constructor(anchor: LineAnchor, start: number, end: number) {
    super(anchor, start, end);
  }
}

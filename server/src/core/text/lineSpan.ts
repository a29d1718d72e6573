import type { Span } from './span.ts';

/** What a line's spans are measured from: the line's own start, kept current as edits move it. */
export interface LineAnchor {
  start: number;
}

/**
 * A span inside one line of a save file, stored as offsets from the line's start. An edit
 * above the line moves its anchor, one number, and every span of the line moves with it: on a
 * 100k-rule dump an edit no longer rewrites the twenty spans of each of the lines below it.
 * Reads and writes go through `start` and `end` like any span.
 */
export class LineSpan implements Span {
  readonly anchor: LineAnchor;
  private from: number;
  private to: number;

  constructor(anchor: LineAnchor, start: number, end: number) {
    this.anchor = anchor;
    this.from = start - anchor.start;
    this.to = end - anchor.start;
  }

  get start(): number {
    return this.anchor.start + this.from;
  }

  set start(value: number) {
    this.from = value - this.anchor.start;
  }

  get end(): number {
    return this.anchor.start + this.to;
  }

  set end(value: number) {
    this.to = value - this.anchor.start;
  }

  /** The plain `{ start, end }` it stands for (JSON output, test messages). */
  toJSON(): Span {
    return { start: this.start, end: this.end };
  }
}

/** A span measured from `anchor` when there is one, a plain span otherwise. */
export function spanIn(anchor: LineAnchor | undefined, start: number, end: number): Span {
  return anchor ? new LineSpan(anchor, start, end) : { start, end };
}

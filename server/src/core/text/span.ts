/** A half-open range of UTF-16 offsets into the document text: `[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** The index of the first of `items` (in order of their starts) that starts at `offset` or after it. */
export function firstStartingFrom(items: readonly { span: Span }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].span.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function spanCovers(outer: Span, offset: number): boolean {
  return offset >= outer.start && offset <= outer.end;
}

export function joinSpans(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

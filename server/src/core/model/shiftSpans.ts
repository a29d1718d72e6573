import { LineSpan } from '../text/lineSpan.ts';
import type { Span } from '../text/span.ts';

/**
 * Every plain span object reachable from a parsed line or command (shared objects once; spans
 * measured from the line, LineSpan, move with it and are left out). An edit
 * earlier in the document moves later lines; shifting their spans in place is far cheaper
 * than parsing them again.
 */
export function collectSpans(root: unknown): Span[] {
  // an array, not a Set: kept per line of a 100k-line file, it must be small
  const out: Span[] = [];
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === 'object') stack.push(x);
      continue;
    }
    // a span measured from its line moves with the line (and leads back to it); so does all it
    // holds (LineOption.of and LineArgs.in make a plain item of a group with a plain word)
    if (v instanceof LineSpan) continue;
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number' && keyCount(o) === 2) {
      out.push(o as unknown as Span);
      continue;
    }
    for (const key in o) {
      // knowledge specs and back references hold no spans of this line; cached findings are relative
      if (key === 'spec' || key === 'owner' || key === 'candidates' || key === 'lineFindings') continue;
      const x = o[key];
      if (x && typeof x === 'object') stack.push(x);
    }
  }
  return out;
}

/** Own keys of a plain object, counted up to 3 (a span has 2); no key list is allocated. */
function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) if (++n > 2) break;
  return n;
}

export function shiftAll(spans: readonly Span[], delta: number): void {
  // by index: an edit calls this for every line below it, most with no span to move
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    s.start += delta;
    s.end += delta;
  }
}

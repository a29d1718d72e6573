import type { LineIndex } from '../core/text/lineIndex.ts';

/**
 * The lines an edit may have changed, as counts of lines left as they were: `head` lines at
 * the start and `tail` lines at the end. Counted from either end, they stay right as more
 * edits come: an edit moves neither the lines before it nor the count of lines after it.
 */
export interface ChangedLines {
  head: number;
  tail: number;
}

export const NO_LINES_CHANGED: Readonly<ChangedLines> = { head: Infinity, tail: Infinity };
export const ALL_LINES_CHANGED: Readonly<ChangedLines> = { head: 0, tail: 0 };

/** The lines one edit (offsets in the text before it, with that text's line index) may change. */
export function linesTouched(before: LineIndex, change: { start: number; end: number }): ChangedLines {
  return { head: before.lineOf(change.start), tail: before.lineCount - 1 - before.lineOf(change.end) };
}

/** `into` widened by `more`: the lines changed by both edits, one after the other. */
export function addChangedLines(into: ChangedLines, more: Readonly<ChangedLines>): void {
  into.head = Math.min(into.head, more.head);
  into.tail = Math.min(into.tail, more.tail);
}

/**
 * The one empty list shared by every node that has nothing in a list (no issues, no stray
 * words, no problems, a jump's options): a 100k-rule dump had six empty arrays per rule.
 * Frozen, so a push meant for a node's own list fails loudly instead of reaching every node.
 * A loop run for each rule steps through a list that may be this one by index: V8 steps a
 * frozen array with for-of through its iterator, one result object per step (110 MB of the
 * 1.1 GB one lint of the 100k dump allocated), where a plain array's loop makes none.
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

/** `list` as kept in a node: an exact-size copy, or NONE when empty (a pushed-to array keeps room for 17 entries). */
export function kept<T>(list: T[]): T[] {
  return list.length ? list.slice() : NONE;
}

import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the server's heap grow past what was live after a collection, in percent.
 *
 * V8 sizes the next collection's limit by how fast its collections have been, up to four
 * times the live heap. The server is long-lived and holds one big live model: with a 100k-rule
 * dump open (about 320 MB live) fifty keystrokes took it to 1.0–1.2 GB before V8 collected.
 * Doubling at most (the bench's 100k session, ten runs with it and six without): 570–635 MB after the same
 * keystrokes, back-to-back edits p95 50–67 → 26–49 ms, edits typed 150 ms apart p95 23–39 →
 * 37–78 ms and a hover sent with the editor's refresh p95 5–7 → 2–51 ms (a full collection,
 * now more frequent, lands on some of them), the 10k file unchanged. At 25–50%, typed edits
 * went to 74–114 ms then, when a keystroke allocated 23 MB.
 *
 * 30% since a keystroke allocates little. At 100% the old generation grew by about a megabyte a
 * keystroke until V8 collected at twice the live heap, and the bench's full 100k session read
 * 340–364 MB right after its 100 edits and 100 requests (the 278 MB of an earlier run had
 * fallen just after a collection). At 50%, 276–284 MB; then the DNAT checks stopped making a new
 * list per keystroke (790 KB, straight into the old generation), collections came later, and
 * 50% read 314–315 MB, 40% 275–277 (three sessions), 30% 274–278 (five): with a live heap of
 * about 180 MB, 30% is the one that keeps the highest the heap can reach, with the 50–60 MB
 * besides it, under 300 MB. Edits back to back p95 11–14 ms, typed p95 14–19 ms, keystrokes
 * during the editor's refresh at most 33–63 ms (as at 100%); the open of the 100k dump takes
 * 1.98–2.05 s instead of 1.78–1.86 (more full collections while its model is built); the 10k
 * file unchanged.
 */
export const HEAP_GROWING_PERCENT = 30;

/** The flag to give V8, unless the process was started with its own (`node --heap-growing-percent=N`). */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  return execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a)) ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Sets the flag: V8 reads it at each collection, so setting it at the start of the process is enough. */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv);
  if (flag) setFlagsFromString(flag);
}

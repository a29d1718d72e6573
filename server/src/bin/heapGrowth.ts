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
 * went to 74–114 ms.
 */
export const HEAP_GROWING_PERCENT = 100;

/** The flag to give V8, unless the process was started with its own (`node --heap-growing-percent=N`). */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  return execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a)) ? undefined : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Sets the flag: V8 reads it at each collection, so setting it at the start of the process is enough. */
export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv);
  if (flag) setFlagsFromString(flag);
}

import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/**
 * The CLI is a batch run that keeps its whole model to the end: on a machine with two cores
 * V8's helper threads for the collector (parallel scavenges, concurrent marking) compete with
 * the main thread for the same cores and let the heap grow further before it is collected.
 * Without them the 100k-rule kube-proxy dump linted in a median 3.42 s against 4.19 s (ten runs
 * each, interleaved, on a 2-core VM) and peaked at 298 MB resident against 468 MB. With more
 * cores those threads run beside the main one, so they are kept. (`--single-threaded-gc`
 * would also do, but V8 aborts when it is set after start; these two it takes.)
 */
export function collectOnMainThreadWhenFewCores(): void {
  if (availableParallelism() > 2) return;
  try {
    setFlagsFromString('--no-parallel-scavenge');
    setFlagsFromString('--no-concurrent-marking');
  } catch {
    // a runtime that refuses flags after start: run with its defaults
  }
}

import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Inputs smaller than this are linted before a collection matters (a 10k-rule dump is 1.5 MB). */
const BIG_INPUT = 1 << 20;

/**
 * Whether the command line may have the CLI read a big input: a file argument over 1 MB, or
 * standard input or a folder, whose size is not known before reading. Other words (options,
 * a trace's packet) are not files and pass.
 */
export function mayReadBigInput(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === '-') return true;
    try {
      const st = statSync(a, { throwIfNoEntry: false });
      if (st && (st.isDirectory() || st.size > BIG_INPUT)) return true;
    } catch {
      // a word that is no path (too long, not allowed): the CLI says what is wrong with it
    }
  }
  return false;
}

/**
 * The CLI is a batch run that keeps its whole model to the end: on a machine with two cores
 * V8's helper threads for the collector (parallel scavenges, concurrent marking) compete with
 * the main thread for the same cores and let the heap grow further before it is collected.
 * Without them the 100k-rule kube-proxy dump linted in a median 3.42 s against 4.19 s (ten runs
 * each, interleaved, on a 2-core VM) and peaked at 298 MB resident against 468 MB. With more
 * cores those threads run beside the main one, so they are kept. (`--single-threaded-gc`
 * would also do, but V8 aborts when it is set after start; these two it takes.) Small inputs
 * are left alone: loading node:v8 to set the flags took 6 ms of a start, for nothing there.
 */
export function collectOnMainThreadWhenFewCores(args: readonly string[]): void {
  if (availableParallelism() > 2 || !mayReadBigInput(args)) return;
  try {
    const { setFlagsFromString } = require('node:v8') as typeof import('node:v8');
    setFlagsFromString('--no-parallel-scavenge');
    setFlagsFromString('--no-concurrent-marking');
  } catch {
    // a runtime that refuses flags after start: run with its defaults
  }
}

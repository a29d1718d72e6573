import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { HeapControl } from '../lsp/memoryRelease.ts';

/** V8's `gc` with its options (a V8 that does not know `flavor` ignores it and collects as usual). */
type Gc = (options?: { type: 'major'; execution: 'sync'; flavor: 'regular' | 'last-resort' }) => void;

/**
 * The process's own V8 heap. A full collection needs V8's `gc`, which only a context made
 * after `--expose-gc` is set receives: the flag is set and one such context is made on the
 * first collection, so a server that never needs one pays nothing at start. Where the flag
 * cannot be set, collecting does nothing and V8 collects when it decides to.
 */
export function v8Heap(): HeapControl {
  let gc: Gc | null | undefined;
  return {
    collect(thorough = false) {
      if (gc === undefined) {
        try {
          setFlagsFromString('--expose-gc');
          const found: unknown = runInNewContext('typeof gc === "function" ? gc : null');
          gc = typeof found === 'function' ? (found as Gc) : null;
        } catch {
          gc = null;
        }
      }
      // 'last-resort' is V8's collection for memory pressure: it compacts and returns pages
      gc?.({ type: 'major', execution: 'sync', flavor: thorough ? 'last-resort' : 'regular' });
    },
    used: () => getHeapStatistics().used_heap_size,
    held: () => process.memoryUsage.rss(),
  };
}

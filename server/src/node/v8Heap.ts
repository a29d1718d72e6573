import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { HeapControl } from '../lsp/memoryRelease.ts';

/**
 * The process's own V8 heap. A full collection needs V8's `gc`, which only a context made
 * after `--expose-gc` is set receives: the flag is set and one such context is made on the
 * first collection, so a server that never needs one pays nothing at start. Where the flag
 * cannot be set, collecting does nothing and V8 collects when it decides to.
 */
export function v8Heap(): HeapControl {
  let gc: (() => void) | null | undefined;
  return {
    collect() {
      if (gc === undefined) {
        try {
          setFlagsFromString('--expose-gc');
          const found: unknown = runInNewContext('typeof gc === "function" ? gc : null');
          gc = typeof found === 'function' ? (found as () => void) : null;
        } catch {
          gc = null;
        }
      }
      gc?.();
    },
    used: () => getHeapStatistics().used_heap_size,
  };
}

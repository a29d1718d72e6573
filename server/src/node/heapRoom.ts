import { modelHeapBytes } from '../core/limits.ts';

/**
 * Heap a process keeps beyond the documents' models: its code and knowledge, the messages it
 * reads and writes, the answers it works out (the language server's start holds about 20 MB).
 */
export const HEAP_RESERVE = 64 * 1024 * 1024;

/** Texts whose model takes less than this are judged without asking V8 for its heap (see heapRoomFor). */
const SMALL_MODEL = 64 * 1024 * 1024;

/**
 * V8's heap figures: node:v8 loaded when first asked (process.getBuiltinModule, in ES modules
 * and bundles alike; undefined in a Node older than 20.16, where no bound is set).
 */
function heapStatistics(): import('node:v8').HeapInfo | undefined {
  return process.getBuiltinModule?.('node:v8')?.getHeapStatistics();
}

/** The heap V8 lets this process grow to (Node's default, or `--max-old-space-size`). */
export function heapLimit(): number | undefined {
  return heapStatistics()?.heap_size_limit;
}

/**
 * The heap a model of `length` characters made now may take (DocumentOptions.memoryRoom): the
 * limit less what is in use and the reserve. Undefined for a text whose model is small even as a
 * script: loading node:v8 costs a small lint 6 ms of its start (see batchGc.ts).
 */
export function heapRoomFor(length: number): number | undefined {
  if (modelHeapBytes(length, 'script') < SMALL_MODEL) return undefined;
  const s = heapStatistics();
  return s && s.heap_size_limit - s.used_heap_size - HEAP_RESERVE;
}

/**
 * Work over a whole document, done in steps: the generator yields now and then (every few
 * hundred commands or chains, every few thousand tokens), so a front end can answer other
 * requests between slices of it, and returns the result.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to the end and gives their result (callers that want it at once). */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * How many items of a loop go between two yields: a step must stay well inside a front end's
 * slice (2048 commands took 8 ms on a slow day of the test VM, longer than the slice itself).
 */
export const STEP_ITEMS = 256;

/** Runs work done in steps to its end, counting the yields between the steps. */
export function runCounted<T>(steps: Generator<void, T, void>): { value: T; yields: number } {
  for (let yields = 0; ; yields++) {
    const r = steps.next();
    if (r.done) return { value: r.value, yields };
  }
}

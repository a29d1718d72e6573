import type { BoundOption } from '../model/types.ts';
import type { Word } from '../syntax/nodes.ts';

/**
 * An option's first value where the text itself says what it is: a name the kernel keeps
 * state under (a hashlimit table, a rate estimator, a recent list, an idle timer) is compared
 * only where no shell expansion decides it.
 */
export function plainValue(o: BoundOption | undefined): Word | undefined {
  return o && !o.values.some((w) => w.dynamic) ? o.values[0] : undefined;
}

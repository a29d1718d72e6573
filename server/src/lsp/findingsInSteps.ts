import type { Diagnostic } from '../core/analysis/types.ts';
import type { RunOptions } from '../core/analysis/engine.ts';
import type { Steps } from '../core/services/steps.ts';
import type { FirewallDocument } from '../core/facade.ts';

/** What working out a document's findings reads from the server around it. */
export interface FindingsContext {
  /** Whether the document is still open (closed meanwhile: nothing is left to do). */
  holds(): boolean;
  /** What its findings would be judged with, as a value that changes when that does (the settings, the files it reads). */
  judgement(): string;
  /** The options of its analysis, read when it starts. */
  options(): RunOptions;
  /**
   * What reading the options does that may be done in steps first: a script's files read with
   * `.` found, whose texts make its model again (see readSourcedSteps).
   */
  prepare?(): Steps<void>;
}

/**
 * A document's model (where it is not made yet) and findings, in steps (see
 * FirewallDocument.prepareModel and diagnosticsSteps): as a big document opens, or a slow one
 * is judged after an edit. The findings are worked out again, the model kept, when what they
 * are judged with changed while they were: a settings change, or a file beside it saved, during
 * the second or so the analysis of a big dump takes was otherwise seen only at the next edit.
 * An edit is not this function's to see: the front end starts the steps over on the new text.
 * Undefined when the document was closed.
 */
export function* findingsInSteps(model: FirewallDocument, context: FindingsContext): Steps<Diagnostic[] | undefined> {
  if (!context.holds()) return undefined;
  const made = yield* whileHeld(model.prepareModel(), context);
  if (!made) return undefined;
  for (;;) {
    const judged = context.judgement();
    if (context.prepare && !(yield* whileHeld(context.prepare(), context))) return undefined;
    const options = context.options();
    // made again in steps where the options gave it other files to read
    if (!(yield* whileHeld(model.prepareModel(), context))) return undefined;
    const found = yield* whileHeld(model.diagnosticsSteps(options), context);
    if (!found) return undefined;
    if (context.judgement() === judged) return found.value;
  }
}

/** `steps`, stopped at the first step after the document was closed (undefined then). */
function* whileHeld<T>(steps: Steps<T>, context: FindingsContext): Steps<{ value: T } | undefined> {
  for (;;) {
    const r = steps.next();
    if (r.done) return { value: r.value };
    yield;
    if (!context.holds()) return undefined;
  }
}

/** `steps`, with the time their slices took together told to `spent` at their end. */
export function* timedSteps<T>(steps: Steps<T>, spent: (ms: number) => void): Steps<T> {
  let total = 0;
  for (;;) {
    const t = performance.now();
    const r = steps.next();
    total += performance.now() - t;
    if (r.done) {
      spent(total);
      return r.value;
    }
    yield;
  }
}

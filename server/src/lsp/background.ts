import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { Steps } from '../core/services/steps.ts';

/** How long the documents must go unused before a whole-document answer is worked out. */
const QUIET_MS = 15;
/** How long a job in steps runs before messages that came meanwhile are let in. */
const SLICE_MS = 5;

interface Job {
  token: CancellationToken | undefined;
  start: () => Steps<unknown>;
  /** What the job works on (a document's version): when it changed during a pause, the job starts over. */
  input: (() => unknown) | undefined;
  steps?: Steps<unknown>;
  startedOn?: unknown;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * Whole-document answers an editor asks for after each pause in typing (semantic tokens, the
 * outline, lens places) take tens to hundreds of milliseconds on a 100k-rule dump. They run
 * here, one at a time, once the documents have gone unused for a moment: a hover or
 * completion sent with them (every handler asks the store for its document) is answered
 * first instead of waiting for all of them. The moment covers a client that writes its
 * messages one by one: the first can be read before the last is sent.
 *
 * A job given in steps (runSteps) runs a few milliseconds at a time: a keystroke typed while
 * it runs is analysed after the current slice, not after the whole job. It then waits for
 * the next quiet moment, and starts over if its document changed meanwhile.
 */
export class Background {
  private readonly queue: Job[] = [];
  private running = false;
  private readonly lastUse: () => number;
  private readonly owed: () => boolean;
  private readonly onIdle: () => void;

  /**
   * `lastUse` is when the store was last used (performance.now()); `owed` says whether
   * diagnostics are due that have not been worked out yet (an edit's analysis is scheduled):
   * they go first. `onIdle` is called when the last queued job has been answered.
   */
  constructor(lastUse: () => number, owed: () => boolean = () => false, onIdle: () => void = () => {}) {
    this.lastUse = lastUse;
    this.owed = owed;
    this.onIdle = onIdle;
  }

  /** A job is queued or running. */
  get working(): boolean {
    return this.running;
  }

  /** Runs `job` when the server is free; a request the client cancelled meanwhile is answered RequestCancelled. */
  run<T>(token: CancellationToken | undefined, job: () => T): Promise<T> {
    return this.runSteps(token, function* () {
      return job();
    });
  }

  /**
   * Runs the steps `start` makes, a slice at a time, when the server is free. `input` names
   * what they work on (a document's version): when it has changed after a pause, the job
   * starts over.
   */
  runSteps<T>(token: CancellationToken | undefined, start: () => Steps<T>, input?: () => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ token, start, input, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) this.wait();
    });
  }

  private busy(): boolean {
    return this.owed() || performance.now() - this.lastUse() < QUIET_MS;
  }

  private wait(): void {
    this.running = true;
    const quiet = performance.now() - this.lastUse();
    setTimeout(() => this.step(), this.owed() ? QUIET_MS : Math.max(0, QUIET_MS - quiet));
  }

  private step(): void {
    if (this.busy()) return this.wait();
    this.afterMessages(() => this.confirm());
  }

  /**
   * A message that came while the last slice ran (an edit typed meanwhile) is read in the next
   * poll phase of the event loop, and the connection hands it to its handler from an immediate
   * queued then: behind one queued now. Two immediates put `then` after that handler, which
   * uses the store. With one, the next whole-document job ran before the edit was even seen.
   */
  private afterMessages(then: () => void): void {
    setImmediate(() => setImmediate(then));
  }

  private confirm(): void {
    if (this.busy()) return this.wait();
    const job = this.queue[0];
    if (job.token?.isCancellationRequested) return this.settle(() => job.reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled')));
    try {
      if (job.steps && job.input && job.input() !== job.startedOn) job.steps = undefined;
      if (!job.steps) {
        job.startedOn = job.input?.();
        job.steps = job.start();
      }
      const steps = job.steps;
      const until = performance.now() + SLICE_MS;
      for (;;) {
        const r = steps.next();
        if (r.done) return this.settle(() => job.resolve(r.value));
        if (performance.now() >= until) break;
      }
    } catch (e) {
      return this.settle(() => job.reject(e));
    }
    // more to do: messages that came meanwhile go first
    this.afterMessages(() => this.confirm());
  }

  /** The job at the head is done: answer it and go on with the next one. */
  private settle(answer: () => void): void {
    this.queue.shift();
    answer();
    if (this.queue.length) this.wait();
    else {
      this.running = false;
      this.onIdle();
    }
  }
}

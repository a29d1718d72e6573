import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/** How long the documents must go unused before a whole-document answer is worked out. */
const QUIET_MS = 15;

/**
 * Whole-document answers an editor asks for after each pause in typing (semantic tokens, the
 * outline, lens places) take tens to hundreds of milliseconds on a 100k-rule dump. They run
 * here, one at a time, once the documents have gone unused for a moment: a hover or
 * completion sent with them (every handler asks the store for its document) is answered
 * first instead of waiting for all of them. The moment covers a client that writes its
 * messages one by one: the first can be read before the last is sent.
 */
export class Background {
  private readonly queue: (() => void)[] = [];
  private running = false;
  private readonly lastUse: () => number;

  /** `lastUse` is when the store was last used (performance.now()). */
  constructor(lastUse: () => number) {
    this.lastUse = lastUse;
  }

  /** Runs `job` when the server is free; a request the client cancelled meanwhile is answered RequestCancelled. */
  run<T>(token: CancellationToken | undefined, job: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        if (token?.isCancellationRequested) return reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled'));
        try {
          resolve(job());
        } catch (e) {
          reject(e);
        }
      });
      if (!this.running) this.wait();
    });
  }

  private wait(): void {
    this.running = true;
    const quiet = performance.now() - this.lastUse();
    setTimeout(() => this.step(), Math.max(0, QUIET_MS - quiet));
  }

  private step(): void {
    if (performance.now() - this.lastUse() < QUIET_MS) return this.wait();
    // a message read meanwhile is handed to its handler by a callback already queued for the
    // next turn's immediates: this one comes after it, and sees the store used if it was
    setImmediate(() => this.confirm());
  }

  private confirm(): void {
    if (performance.now() - this.lastUse() < QUIET_MS) return this.wait();
    this.queue.shift()!();
    if (this.queue.length) this.wait();
    else this.running = false;
  }
}

import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/**
 * Whole-document answers an editor asks for after each pause in typing (semantic tokens, the
 * outline, lens places) take tens to hundreds of milliseconds on a 100k-rule dump. They run
 * here, one at a time, once the requests that came with them have been dispatched: a hover or
 * completion sent right behind them is answered first instead of waiting for all of them.
 *
 * The language server library hands the server one message per event-loop turn, and every
 * handler asks the store for its document; a job starts after two turns in which the store was
 * not asked for anything, that is once no message is waiting. Two, because messages read in a
 * turn are handed over by a callback queued after this one's: in the first turn after they
 * arrive, the store has not been asked yet.
 */
export class Background {
  private readonly queue: (() => void)[] = [];
  private running = false;
  private seen = -1;
  private quietTurns = 0;
  private readonly activity: () => number;

  /** `activity` counts the store's uses: it changes whenever a handler ran. */
  constructor(activity: () => number) {
    this.activity = activity;
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
    this.seen = this.activity();
    this.quietTurns = 0;
    setImmediate(() => this.step());
  }

  private step(): void {
    const now = this.activity();
    this.quietTurns = now === this.seen ? this.quietTurns + 1 : 0;
    this.seen = now;
    if (this.quietTurns < 2) {
      setImmediate(() => this.step());
      return;
    }
    this.queue.shift()!();
    if (this.queue.length) this.wait();
    else this.running = false;
  }
}

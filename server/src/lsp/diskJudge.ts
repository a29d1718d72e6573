import { parentPort, Worker } from 'node:worker_threads';
import { judgeOnDisk, type DiskJudgement, type DiskJudgementRequest } from './diskJudgement.ts';

/** A request to the judging thread, and its answer. */
interface Asked {
  id: number;
  request: DiskJudgementRequest;
}
type Answered = { id: number; judgement: DiskJudgement } | { id: number; error: string };

/** How long the judging thread is kept with nothing to do before it is stopped (its heap then goes). */
export const JUDGE_IDLE_MS = 20_000;

/**
 * Judges files of the workspace from disk (see WorkspaceFiles) in a thread of its own: judging
 * a 15 MB kube-proxy dump takes 2–3 s here, and on the server's thread every hover, completion
 * and keystroke's diagnostics waited for it. The thread runs the server's own bundle (`script`,
 * which serves judgements when it is not the main thread: no second bundle in the package), is
 * started at the first judgement, and stopped once it has been idle for `idleMs`. Without a
 * script (the server run from its sources) files are judged on the calling thread.
 */
export class DiskJudge {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (j: DiskJudgement) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly script: string | undefined;
  private readonly idleMs: number;

  constructor(script: string | undefined, idleMs = JUDGE_IDLE_MS) {
    this.script = script;
    this.idleMs = idleMs;
  }

  /** Whether the judging thread is running (a test reads it). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Judges as asked; fails where the judging thread failed (ran out of memory on the file, could not start). */
  judge(request: DiskJudgementRequest): Promise<DiskJudgement> {
    if (!this.script) return Promise.resolve(judgeOnDisk(request));
    const worker = this.started(this.script);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const id = ++this.nextId;
    return new Promise<DiskJudgement>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, request } satisfies Asked);
    });
  }

  /** Stops the judging thread; what it was asked fails. */
  stop(): void {
    const worker = this.worker;
    this.ended(new Error('the judging thread was stopped'));
    void worker?.terminate();
  }

  private started(script: string): Worker {
    if (this.worker) return this.worker;
    // its standard output is the protocol's stream over stdio: anything the thread writes there goes to the log
    const worker = new Worker(script, { stdout: true });
    worker.stdout.pipe(process.stderr);
    // the server may end while the thread is idle
    worker.unref();
    worker.on('message', (m: Answered) => {
      const waiting = this.pending.get(m.id);
      if (!waiting) return;
      this.pending.delete(m.id);
      if ('judgement' in m) waiting.resolve(m.judgement);
      else waiting.reject(new Error(m.error));
      if (!this.pending.size && this.worker === worker) {
        this.idleTimer = setTimeout(() => this.stop(), this.idleMs);
        this.idleTimer.unref();
      }
    });
    worker.on('error', (e) => {
      if (this.worker === worker) this.ended(e);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.ended(new Error(`the judging thread ended (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  /** The thread is gone: what it was asked fails, and the next judgement starts another. */
  private ended(reason: Error): void {
    this.worker = undefined;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(reason);
  }
}

/** The judging thread's side: answers each request in turn (see DiskJudge). */
export function serveDiskJudgements(): void {
  const port = parentPort;
  if (!port) throw new Error('serveDiskJudgements runs in a worker thread');
  port.on('message', ({ id, request }: Asked) => {
    let answer: Answered;
    try {
      answer = { id, judgement: judgeOnDisk(request) };
    } catch (e) {
      answer = { id, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(answer);
  });
}

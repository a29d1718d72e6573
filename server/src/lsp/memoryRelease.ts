/**
 * Gives memory back once the server is idle. Each pause in typing of a second leaves a new copy of the
 * document's text (15 MB for a 100k-rule dump; see FirewallDocument.settleText), the editor's
 * refresh its replies, and V8 lets its heap grow to several times what is live
 * before it collects: 50 keystrokes on such a dump left the server at about 1 GB, for half a
 * minute or more after the typing stopped, and a closed document's model stayed in memory
 * until something else was allocated. When nothing has happened for a while and the heap has
 * grown well past what was live after the last collection (or a big document was closed), the
 * server asks for one full collection. It blocks for its length (250–350 ms with a 100k-rule
 * dump open, 650–800 ms when it also compacts, a few ms with small files), so it waits for a
 * quiet moment rather than running between keystrokes, and a longer one to compact.
 *
 * Quiet means the server has finished too, not only that nothing new came in: an editor's
 * refresh after a pause in typing takes over a second on a 100k-rule dump, and a collection
 * started in the middle of it blocked it, found its replies (a semantic tokens answer is a
 * 40 MB list and its 15 MB of JSON) still alive, and left them to the next collection, which
 * V8 put off: 50–70 MB more in use once quiet. The server says when it is working, and the
 * quiet period starts again when it is done.
 */

export interface HeapControl {
  /**
   * One full, blocking garbage collection. A thorough one also moves what is live out of pages
   * left mostly empty and gives those pages back to the system (it takes about three times as
   * long).
   */
  collect(thorough?: boolean): void;
  /** Bytes of heap in use, garbage included until it is collected. */
  used(): number;
  /**
   * Bytes of memory the process holds (its resident set). V8 keeps the pages a collection
   * emptied in a pool of its own, counted in no heap statistic: only this shows them.
   */
  held(): number;
}

export interface ReleaseOptions {
  /** Quiet time (no document opened, changed, closed or asked about) before collecting. */
  idleMs: number;
  /** Quiet time before a thorough collection, which blocks about three times as long. */
  thoroughIdleMs: number;
  /** Growth of the heap since the last collection that is worth one, in bytes (and at least a quarter of what was live). */
  minGrowth: number;
  /** A closed document at least this long (characters) leaves a model worth collecting. */
  bigDocument: number;
}

export interface Release {
  before: number;
  after: number;
  ms: number;
  thorough: boolean;
}

/** Memory held, as a multiple of the heap live after the last collection, above which a collection is a thorough one. */
const THOROUGH_AT = 1.5;

export const DEFAULT_RELEASE: ReleaseOptions = { idleMs: 1000, thoroughIdleMs: 3000, minGrowth: 16 * 1024 * 1024, bigDocument: 2_000_000 };

export class MemoryRelease {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastActivity = 0;
  /** Heap in use after the last collection (at start, before any document). */
  private baseline: number;
  /** Memory the process held after the last collection (see check). */
  private heldAfter: number;
  /** A big document was closed since the last collection. */
  private owed = false;
  /** The last collection was a regular one and left far more memory held than live: a thorough one is due (see check). */
  private compactOwed = false;

  private readonly heap: HeapControl;
  private readonly onRelease: (r: Release) => void;
  private readonly options: ReleaseOptions;
  private readonly working: () => boolean;

  /** `working` says whether the server is in the middle of something (an analysis due, a job queued): no collection then. */
  constructor(heap: HeapControl, onRelease: (r: Release) => void, options: ReleaseOptions = DEFAULT_RELEASE, working: () => boolean = () => false) {
    this.heap = heap;
    this.onRelease = onRelease;
    this.options = options;
    this.working = working;
    this.baseline = heap.used();
    this.heldAfter = heap.held();
  }

  /** Something used the documents, or the server finished some work: the quiet period starts again. Cheap enough for every request. */
  activity(): void {
    this.lastActivity = performance.now();
    this.timer ??= this.arm(this.options.idleMs);
  }

  /** A document of `size` characters was closed. */
  closed(size: number): void {
    if (size >= this.options.bigDocument) this.owed = true;
    this.activity();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => this.check(), ms);
    // a pending collection never keeps the process alive once the client is gone
    t.unref?.();
    return t;
  }

  private check(): void {
    this.timer = undefined;
    const quiet = performance.now() - this.lastActivity;
    if (quiet < this.options.idleMs) {
      // activity since the timer was set: wait out the rest of the quiet period
      this.timer = this.arm(this.options.idleMs - quiet);
      return;
    }
    if (this.working()) {
      // the end of the work marks activity (see the class comment); this check is for work
      // that outlasts the quiet period without anything new coming in
      this.timer = this.arm(this.options.idleMs);
      return;
    }
    const before = this.heap.used();
    const growth = before - this.baseline;
    const held = this.heap.held();
    const worth = Math.max(this.options.minGrowth, this.baseline / 4);
    // Collections V8 made while the user typed leave the heap in use small and the pages they
    // emptied held: after 50 keystrokes and refreshes on the 100k-rule dump (a keystroke
    // allocating under 1 MB) the heap had grown by less than a quarter while the process held
    // 370 MB for 189 MB live, and kept them. Memory held that has grown as much is worth a
    // thorough collection too.
    const heldGrown = held - this.heldAfter >= worth && held > THOROUGH_AT * this.baseline + this.options.minGrowth;
    if (!this.owed && !this.compactOwed && !heldGrown && growth < worth) return;
    // A regular collection frees the garbage but keeps the pages it was in: after 30 keystrokes
    // and refreshes on the 100k-rule dump the server stayed at 640 MB with 302 MB live, for as
    // long as it was left alone. A thorough one gave 405 MB (811 ms instead of 257): worth it
    // when the heap holds much more than was live.
    const thorough = this.compactOwed || held > THOROUGH_AT * this.baseline + this.options.minGrowth;
    if (thorough && quiet < this.options.thoroughIdleMs) {
      this.timer = this.arm(this.options.thoroughIdleMs - quiet);
      return;
    }
    const t = performance.now();
    this.heap.collect(thorough);
    const after = this.heap.used();
    this.baseline = after;
    this.owed = false;
    // Most of the heap was garbage (a big document closed): the regular collection freed it
    // and kept its pages. Closing the 100k-rule dump left 24 MB live in 282 MB held, for as
    // long as the server was left alone; a thorough collection follows once quiet, once (92 MB).
    this.heldAfter = this.heap.held();
    this.compactOwed = !thorough && this.heldAfter > THOROUGH_AT * after + this.options.minGrowth;
    if (this.compactOwed) this.timer = this.arm(this.options.thoroughIdleMs);
    this.onRelease({ before, after, ms: performance.now() - t, thorough });
  }
}

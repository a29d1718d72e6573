/**
 * One timer per document that runs its task once no call for that document has come for
 * `delayMs`: each call starts the wait again. The server copies a big document's edited text
 * into one piece this way (FirewallDocument.settleText): each copy of the 100k-rule dump is
 * 15 MB that the previous one leaves as garbage, and made in every pause of 15 ms, typing at
 * a person's pace left one per keystroke, 15 times what the keystroke's analysis allocates
 * (the server held 336–341 MB right after 50 edits, 274–276 with the wait of a second). The
 * edits read through the pieces meanwhile (joined once every 64 edits, see FirewallDocument).
 */
export class QuietTimers {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly delayMs: number;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  /** Runs `task` for `uri` once `delayMs` pass without another call for it (replacing the task waiting). */
  later(uri: string, task: () => void): void {
    this.cancel(uri);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      task();
    }, this.delayMs);
    // a task waiting never keeps the process alive once the client is gone
    timer.unref?.();
    this.timers.set(uri, timer);
  }

  /** The document was closed: its task is dropped. */
  cancel(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }
}

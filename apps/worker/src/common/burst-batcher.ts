/** One call waiting in a BurstBatcher: what it asked for and how to settle it. */
export interface BatchWaiter<T, R> {
  item: T;
  done: (result: R) => void;
  fail: (error: unknown) => void;
}

/**
 * Gathers calls made in the same burst (the jobs a BullMQ worker fetched together) and hands them to `runBatch`
 * together, at most `maxBatch` at a time and `parallel` batches at once; calls arriving while those run form the
 * next batches. `runBatch` settles every waiter it is given.
 */
export class BurstBatcher<T, R> {
  private queued: BatchWaiter<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly runBatch: (batch: BatchWaiter<T, R>[]) => Promise<void>,
    private readonly parallel: number,
    private readonly maxBatch: number,
  ) {}

  /** Batches running now. */
  get running(): number {
    return this.inFlight;
  }

  submit(item: T): Promise<R> {
    return new Promise((done, fail) => {
      this.queued.push({ item, done, fail });
      // Start on the next turn of the event loop, so calls of the same burst join one batch.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.drain();
        });
      }
    });
  }

  private drain(): void {
    while (this.inFlight < this.parallel && this.queued.length > 0) {
      const batch = this.queued.splice(0, this.maxBatch);
      this.inFlight++;
      void this.runBatch(batch)
        .catch((error: unknown) => batch.forEach((w) => w.fail(error)))
        .finally(() => {
          this.inFlight--;
          this.drain();
        });
    }
  }
}

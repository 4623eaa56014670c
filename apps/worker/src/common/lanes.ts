/**
 * A fixed number of lanes that tasks run in: at most `count` at once, the others waiting in the order they came.
 * The closing uses it so that every closing transaction (a batch of jobs, a drain, the sweep) shares one limit.
 */
export class Lanes {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly count: number) {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError('lanes: count must be a positive integer');
  }

  /** Tasks running now. */
  get inUse(): number {
    return this.busy;
  }

  /** Runs `task` once a lane is free, and frees the lane when it settles. */
  async run<R>(task: () => Promise<R>): Promise<R> {
    if (this.busy < this.count) {
      this.busy++;
    } else {
      // The lane is handed over by the task that frees it: busy stays counted, so no newcomer can take it first.
      await new Promise<void>((resume) => this.waiting.push(resume));
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy--;
    }
  }
}

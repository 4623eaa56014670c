/** The longest the sequencer waits for closings at a stretch; then it sequences once and may wait again. */
export const CLOSINGS_FIRST_MAX_WAIT_MS = 5_000;

/**
 * Only tenders whose deadline passed this recently hold the sequencer back: a storm is closed within seconds, while
 * a tender whose closing keeps failing (or that a stopped worker left overdue) must not slow the log's heads for
 * good.
 */
export const CLOSINGS_FIRST_WINDOW_SECONDS = 30;

/**
 * Decides whether the log sequencer should let due closings go first. A closing storm (thousands of tenders
 * with one deadline) and the sequencing of its events compete for the same two cores; the deadline is the one
 * that matters to bidders, so while tenders wait to be closed the sequencer waits too, and then catches up in a
 * few large batches. It never waits longer than `maxWaitMs` at a stretch, so a tender that cannot be closed does
 * not stall the log: events are only sequenced later, never lost, since they are committed already.
 */
export class ClosingsFirst {
  private waitingSince: number | null = null;

  constructor(private readonly maxWaitMs = CLOSINGS_FIRST_MAX_WAIT_MS) {}

  /** True when the sequencer should skip this tick; `closingsDue` says whether tenders wait to be closed. */
  shouldWait(closingsDue: boolean, now: number): boolean {
    if (!closingsDue) {
      this.waitingSince = null;
      return false;
    }
    if (this.waitingSince === null) this.waitingSince = now;
    if (now - this.waitingSince < this.maxWaitMs) return true;
    // Waited long enough: sequence now, and start a new stretch after it.
    this.waitingSince = null;
    return false;
  }
}

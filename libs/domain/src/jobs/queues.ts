import type { DefaultJobOptions } from 'bullmq';

/** Queue names: string constants, never class names, so producers and processors agree across processes. */
export const QUEUES = {
  maintenance: 'maintenance',
  tenderClosing: 'tender-closing',
  ocdsExport: 'ocds-export',
  redFlags: 'red-flags',
  priceAnalytics: 'price-analytics',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Job names per queue. */
export const JOBS = {
  purgeExpiredRefreshTokens: 'purge-expired-refresh-tokens',
  closeTender: 'close-tender',
  startTendering: 'start-tendering',
  finishAuction: 'finish-auction',
  sweepClosings: 'sweep-closings',
  exportOcdsReleases: 'export-ocds-releases',
  computeRedFlags: 'compute-red-flags',
  sweepRedFlags: 'sweep-red-flags',
  refreshPriceStats: 'refresh-price-stats',
  rebuildPriceStats: 'rebuild-price-stats',
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

/**
 * Payload of each job: ids only, the database stays the source of truth.
 * Enqueueing and processing are type-checked against this map.
 */
export interface JobPayloads {
  [JOBS.purgeExpiredRefreshTokens]: { olderThanDays: number };
  /** Close one tender at its deadline (delayed job; moved when the deadline moves). */
  [JOBS.closeTender]: { tenderId: string };
  /** Move one tender from enquiries into tendering when its enquiry period ends (delayed job; the sweep backs it up). */
  [JOBS.startTendering]: { tenderId: string };
  /** Finish one tender's electronic auction at its end (delayed job; moved by every price that moves the end). */
  [JOBS.finishAuction]: { tenderId: string };
  /**
   * Move every tender whose enquiry period has ended into tendering, then close every overdue tender found in
   * the database, then finish every auction whose end has passed (repeating; backs up lost delayed jobs).
   */
  [JOBS.sweepClosings]: Record<string, never>;
  /** Write the OCDS bulk file of one UTC day (YYYY-MM-DD; the day before the run when absent). Rewrites it whole. */
  [JOBS.exportOcdsReleases]: { day?: string };
  /** Replace one closed tender's red flags by those its facts raise now (job id: tender + the log index wanted). */
  [JOBS.computeRedFlags]: { tenderId: string };
  /** Follow the deal log from its watermark; enqueue compute-red-flags for closed tenders it moved (repeating). */
  [JOBS.sweepRedFlags]: Record<string, never>;
  /** Rebuild the price statistics of one CPV division and month, YYYY-MM (debounced: job id = part + window). */
  [JOBS.refreshPriceStats]: { division: string; month: string };
  /** Rebuild every price statistic from the signed contracts (nightly). */
  [JOBS.rebuildPriceStats]: Record<string, never>;
}

/** Which queue carries each job. */
export const JOB_QUEUE: { [J in JobName]: QueueName } = {
  [JOBS.purgeExpiredRefreshTokens]: QUEUES.maintenance,
  [JOBS.closeTender]: QUEUES.tenderClosing,
  [JOBS.startTendering]: QUEUES.tenderClosing,
  [JOBS.finishAuction]: QUEUES.tenderClosing,
  [JOBS.sweepClosings]: QUEUES.tenderClosing,
  [JOBS.exportOcdsReleases]: QUEUES.ocdsExport,
  [JOBS.computeRedFlags]: QUEUES.redFlags,
  [JOBS.sweepRedFlags]: QUEUES.redFlags,
  [JOBS.refreshPriceStats]: QUEUES.priceAnalytics,
  [JOBS.rebuildPriceStats]: QUEUES.priceAnalytics,
};

/** Retries with exponential backoff by default; completed jobs are kept briefly for inspection. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

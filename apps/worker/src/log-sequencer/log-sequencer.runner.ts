import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, LogKeyMismatchError, LogSequencerService, TenderClosingService } from '@app/domain';
import { ClosingsFirst, CLOSINGS_FIRST_WINDOW_SECONDS } from './closings-first';

const KEY_COMPLAINT_INTERVAL_MS = 60_000;

/**
 * Runs the log sequencer in this worker when it holds the leader lock; otherwise keeps trying, so a second
 * worker takes over within a second when the leader stops or dies. While tenders wait to be closed (in any
 * worker: the database says so), the leader lets the closings go first (see ClosingsFirst).
 */
@Injectable()
export class LogSequencerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LogSequencerRunner.name);
  private stopped = false;
  private loop?: Promise<void>;
  private lastKeyComplaint = 0;
  private readonly closingsFirst = new ClosingsFirst();

  constructor(
    private readonly sequencer: LogSequencerService,
    private readonly closing: TenderClosingService,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.sequencer.resign();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (await this.sequencer.tryLead()) {
          const due = await this.closing.anyDue(CLOSINGS_FIRST_WINDOW_SECONDS);
          if (!this.closingsFirst.shouldWait(due, Date.now())) await this.sequencer.tick();
          await this.sleep(this.config.SEQUENCER_INTERVAL_MS);
        } else {
          await this.sleep(1000);
        }
      } catch (error) {
        if (error instanceof LogKeyMismatchError) {
          // Nothing is signed until the key is restored; said once a minute, not once a second.
          if (Date.now() - this.lastKeyComplaint >= KEY_COMPLAINT_INTERVAL_MS) {
            this.lastKeyComplaint = Date.now();
            this.logger.error(error.message);
          }
        } else {
          this.logger.error({ err: error }, 'log sequencer tick failed');
        }
        await this.sequencer.resign().catch(() => undefined);
        await this.sleep(1000);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}

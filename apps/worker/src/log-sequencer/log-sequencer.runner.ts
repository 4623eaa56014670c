import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, LogKeyMismatchError, LogSequencerService } from '@app/domain';

const KEY_COMPLAINT_INTERVAL_MS = 60_000;

/**
 * Runs the log sequencer in this worker when it holds the leader lock; otherwise keeps trying, so a second
 * worker takes over within a second when the leader stops or dies.
 */
@Injectable()
export class LogSequencerRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LogSequencerRunner.name);
  private stopped = false;
  private loop?: Promise<void>;
  private lastKeyComplaint = 0;

  constructor(
    private readonly sequencer: LogSequencerService,
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
          await this.sequencer.tick();
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

import { Module, OnApplicationBootstrap, Logger } from '@nestjs/common';
import { DealLogModule, LogService } from '@app/domain';
import { LogController } from './log.controller';

@Module({ imports: [DealLogModule], controllers: [LogController] })
export class LogHttpModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(LogHttpModule.name);

  constructor(private readonly log: LogService) {}

  /** The API keeps the log's tree in memory for proofs: loaded in the background, while proofs use the database. */
  onApplicationBootstrap(): void {
    this.log
      .warmTree()
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error },
          'the log tree could not be loaded into memory; proofs use the database',
        ),
      );
  }
}

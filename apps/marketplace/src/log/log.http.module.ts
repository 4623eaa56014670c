import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { DealLogModule, LogService } from '@app/domain';
import { LogController } from './log.controller';

@Module({ imports: [DealLogModule], controllers: [LogController] })
export class LogHttpModule implements OnApplicationBootstrap {
  constructor(private readonly log: LogService) {}

  /** The API keeps the log's tree in memory for proofs: loaded in the background, while proofs use the database. */
  onApplicationBootstrap(): void {
    this.log
      .warmTree()
      .catch((error: unknown) =>
        PinoLogger.root?.warn(
          { err: error },
          'the log tree could not be loaded into memory; proofs use the database',
        ),
      );
  }
}

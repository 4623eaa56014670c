import { Module } from '@nestjs/common';
import { LogKeyService } from './log-key.service';
import { LogSequencerService } from './log-sequencer.service';
import { LogService } from './log.service';

@Module({
  providers: [LogKeyService, LogService, LogSequencerService],
  exports: [LogKeyService, LogService, LogSequencerService],
})
export class DealLogModule {}

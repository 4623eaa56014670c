import { Module } from '@nestjs/common';
import { DealLogModule } from '@app/domain';
import { LogController } from './log.controller';

@Module({ imports: [DealLogModule], controllers: [LogController] })
export class LogHttpModule {}

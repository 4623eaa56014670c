import { Module } from '@nestjs/common';
import { ProcurementModule } from '@app/domain';
import { AwardsController, BidsController } from './bids.controller';
import { TendersController } from './tenders.controller';

@Module({ imports: [ProcurementModule], controllers: [TendersController, BidsController, AwardsController] })
export class TendersHttpModule {}

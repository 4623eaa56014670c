import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { ProcurementModule } from '@app/domain';
import { AuctionController } from './auction.controller';
import { AwardsController, BidsController } from './bids.controller';
import { ComplaintsController } from './complaints.controller';
import { TendersController } from './tenders.controller';

@Module({
  imports: [ProcurementModule, CatalogModule],
  controllers: [TendersController, BidsController, AuctionController, AwardsController, ComplaintsController],
})
export class TendersHttpModule {}

import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { AuctionService } from '../auction/auction.service';
import { AwardsService } from '../award/awards.service';
import { ComplaintsService } from '../award/complaints.service';
import { BidsService } from '../bid/bids.service';
import { DealLogWriter } from '../deal-log/deal-log.writer';
import { TenderAmendmentsService } from './tender-amendments.service';
import { TenderClarificationsService } from './tender-clarifications.service';
import { TenderClosingScheduler } from './tender-closing.scheduler';
import { TenderClosingService } from './tender-closing.service';
import { TenderDraftsService } from './tender-drafts.service';
import { TenderQueriesService } from './tender-queries.service';
import { TenderViews } from './tender-views';

const SERVICES = [
  DealLogWriter,
  TenderViews,
  TenderClosingScheduler,
  TenderDraftsService,
  TenderQueriesService,
  TenderClarificationsService,
  TenderAmendmentsService,
  TenderClosingService,
  AuctionService,
  BidsService,
  AwardsService,
  ComplaintsService,
];

/** Tenders, bids, awards and contracts, with their deal events. */
@Module({ imports: [AnalyticsModule], providers: SERVICES, exports: SERVICES })
export class ProcurementModule {}

import { Module } from '@nestjs/common';
import { ExchangeRatesService } from './exchange-rates.service';
import { PriceStatsScheduler } from './price-stats.scheduler';
import { PriceComparisonsService } from './price-comparisons.service';
import { PriceStatsService } from './price-stats.service';
import { RedFlagsService } from './red-flags.service';
import { ReferencePriceService } from './reference-price.service';
import { TradeMatrixService } from './trade-matrix.service';

const SERVICES = [
  RedFlagsService,
  PriceStatsService,
  PriceStatsScheduler,
  TradeMatrixService,
  ReferencePriceService,
  ExchangeRatesService,
  PriceComparisonsService,
];

/** Price analytics and red flags over the procurement tables. */
@Module({ providers: SERVICES, exports: SERVICES })
export class AnalyticsModule {}

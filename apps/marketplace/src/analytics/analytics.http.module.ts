import { ExchangeRatesController } from './exchange-rates.controller';
import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { AnalyticsModule } from '@app/domain/analytics';
import { PriceComparisonsController } from './price-comparisons.controller';
import { PriceStatsController } from './price-stats.controller';
import { RedFlagsController } from './red-flags.controller';
import { ReferencePriceController } from './reference-price.controller';
import { TradeMatrixController } from './trade-matrix.controller';

@Module({
  imports: [AnalyticsModule, CatalogModule],
  controllers: [
    RedFlagsController,
    PriceStatsController,
    TradeMatrixController,
    ReferencePriceController,
    ExchangeRatesController,
    PriceComparisonsController,
  ],
})
export class AnalyticsHttpModule {}

import { Module } from '@nestjs/common';
import { CatalogModule } from '@app/catalog';
import { CatalogItemsController } from './catalog-items.controller';
import { CatalogueSearchController } from './catalogue-search.controller';
import { ClassificationsController } from './classifications.controller';
import { OffersController } from './offers.controller';

@Module({
  imports: [CatalogModule],
  controllers: [
    ClassificationsController,
    CatalogueSearchController,
    CatalogItemsController,
    OffersController,
  ],
})
export class CatalogHttpModule {}

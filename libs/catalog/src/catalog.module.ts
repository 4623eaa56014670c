import { Module } from '@nestjs/common';
import { CatalogItemWorkflowService } from './catalog-item/catalog-item-workflow.service';
import { CatalogItemRepository } from './catalog-item/catalog-item.repository';
import { CatalogItemsService } from './catalog-item/catalog-items.service';
import { ClassificationService } from './classification/classification.service';
import { OfferInputChecker } from './offer/offer-input.checker';
import { OffersService } from './offer/offers.service';
import { SupplierDirectory } from './offer/supplier-directory';
import { CatalogSearchPool } from './search/catalog-search-pool';
import { CatalogSearchService } from './search/catalog-search.service';
import { SearchIndexWriter } from './search/search-index.writer';

/** The catalogue's services over the marketplace's one PostgreSQL connection. */
@Module({
  providers: [
    ClassificationService,
    CatalogItemsService,
    CatalogItemWorkflowService,
    CatalogItemRepository,
    OffersService,
    OfferInputChecker,
    CatalogSearchService,
    CatalogSearchPool,
    SearchIndexWriter,
    SupplierDirectory,
  ],
  exports: [
    ClassificationService,
    CatalogItemsService,
    CatalogItemWorkflowService,
    OffersService,
    CatalogSearchService,
  ],
})
export class CatalogModule {}

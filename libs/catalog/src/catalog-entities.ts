import { CatalogItemVersion } from './catalog-item/catalog-item-version.entity';
import { CatalogItem } from './catalog-item/catalog-item.entity';
import { Classification } from './classification/classification.entity';
import { Offer } from './offer/offer.entity';
import { CatalogSearchEntry } from './search/catalog-search-entry.entity';
import { CatalogSearchWord } from './search/catalog-search-word.entity';

/** Every entity of the catalogue, for the marketplace's one data source. */
export const CATALOG_ENTITIES = [
  Classification,
  CatalogItem,
  CatalogItemVersion,
  Offer,
  CatalogSearchEntry,
  CatalogSearchWord,
];

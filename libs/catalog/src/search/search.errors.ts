import { defineCatalogError } from '../errors/catalog-error';

export class SearchQueryTooLongError extends defineCatalogError('SEARCH_QUERY_TOO_LONG', 'invalid') {}
export class PriceRangeInvalidError extends defineCatalogError('PRICE_RANGE_INVALID', 'invalid') {}

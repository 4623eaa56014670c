import { defineCatalogError } from '../errors/catalog-error';

export class PriceInvalidError extends defineCatalogError('PRICE_INVALID', 'invalid') {}
export class CurrencyInvalidError extends defineCatalogError('CURRENCY_INVALID', 'invalid') {}
export class QuantityInvalidError extends defineCatalogError('QUANTITY_INVALID', 'invalid') {}
export class OfferValidityInvalidError extends defineCatalogError('OFFER_VALIDITY_INVALID', 'invalid') {}
export class DeliveryAreaInvalidError extends defineCatalogError('DELIVERY_AREA_INVALID', 'invalid') {}
export class UnknownCityError extends defineCatalogError('UNKNOWN_CITY', 'invalid') {}
export class OfferNotFoundError extends defineCatalogError('OFFER_NOT_FOUND', 'not_found') {}
export class OfferNotOwnedError extends defineCatalogError('OFFER_NOT_OWNED', 'forbidden') {}
export class SupplierNotActiveError extends defineCatalogError('SUPPLIER_NOT_ACTIVE', 'forbidden') {}
export class OfferStatusConflictError extends defineCatalogError('OFFER_STATUS_CONFLICT', 'conflict') {}
export class CatalogItemNotActiveError extends defineCatalogError('CATALOG_ITEM_NOT_ACTIVE', 'conflict') {}

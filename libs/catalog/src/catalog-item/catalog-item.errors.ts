import { defineCatalogError } from '../errors/catalog-error';

export class UnitUnknownError extends defineCatalogError('UNIT_UNKNOWN', 'invalid') {}
export class CatalogItemNotFoundError extends defineCatalogError('CATALOG_ITEM_NOT_FOUND', 'not_found') {}
export class CatalogItemNotOwnedError extends defineCatalogError('CATALOG_ITEM_NOT_OWNED', 'forbidden') {}
export class CatalogItemStatusConflictError extends defineCatalogError(
  'CATALOG_ITEM_STATUS_CONFLICT',
  'conflict',
) {}
export class MergeTargetInvalidError extends defineCatalogError('MERGE_TARGET_INVALID', 'conflict') {}
export class CatalogItemVersionConflictError extends defineCatalogError(
  'CATALOG_ITEM_VERSION_CONFLICT',
  'conflict',
) {}
export class ProposerNotActiveError extends defineCatalogError('PROPOSER_NOT_ACTIVE', 'forbidden') {}
export class CatalogItemUnitConflictError extends defineCatalogError(
  'CATALOG_ITEM_UNIT_CONFLICT',
  'conflict',
) {}
/** Drafts are their proposers' and the operators': an auditor's queue has none. */
export class DraftsNotReadableError extends defineCatalogError('DRAFTS_NOT_READABLE', 'forbidden') {}

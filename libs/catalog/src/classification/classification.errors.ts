import { defineCatalogError } from '../errors/catalog-error';

export class CpvCodeMalformedError extends defineCatalogError('CPV_CODE_MALFORMED', 'invalid') {}
export class CpvCheckDigitError extends defineCatalogError('CPV_CHECK_DIGIT_INVALID', 'invalid') {}
export class CpvCodeUnknownError extends defineCatalogError('CPV_CODE_UNKNOWN', 'invalid') {}
export class ClassificationNotFoundError extends defineCatalogError(
  'CLASSIFICATION_NOT_FOUND',
  'not_found',
) {}

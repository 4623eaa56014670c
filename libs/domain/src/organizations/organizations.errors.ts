import { defineError } from '../errors';

export class TaxIdInvalidError extends defineError('TAX_ID_INVALID', 'invalid') {}
export class TaxIdTakenError extends defineError('TAX_ID_TAKEN', 'conflict') {}
export class UnknownCityError extends defineError('UNKNOWN_CITY', 'invalid') {}
export class CountryMismatchError extends defineError('COUNTRY_MISMATCH', 'invalid') {}
export class OrganizationNotFoundError extends defineError('ORGANIZATION_NOT_FOUND', 'not_found') {}
export class OrganizationKindNotAllowedError extends defineError(
  'ORGANIZATION_KIND_NOT_ALLOWED',
  'invalid',
) {}
export class OrganizationStatusConflictError extends defineError(
  'ORGANIZATION_STATUS_CONFLICT',
  'conflict',
) {}

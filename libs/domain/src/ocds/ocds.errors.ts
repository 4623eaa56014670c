import { defineError } from '../errors';

/** No published contracting process has this ocid (drafts have none, and are never public). */
export class OcidNotFoundError extends defineError('OCID_NOT_FOUND', 'not_found') {}
export class OcdsExportDayError extends defineError('OCDS_EXPORT_DAY_INVALID', 'invalid') {}

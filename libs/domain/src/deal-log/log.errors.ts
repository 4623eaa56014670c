import { defineError } from '../errors';

export class LogRangeError extends defineError('LOG_RANGE_INVALID', 'invalid') {}
export class LogEmptyError extends defineError('LOG_EMPTY', 'not_found') {}

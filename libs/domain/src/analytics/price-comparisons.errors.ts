import { defineError } from '../errors';

/** No city has statistics for the subject, unit and month asked (among the cities asked, if any). */
export class PriceStatsNotFoundError extends defineError('PRICE_STATS_NOT_FOUND', 'not_found') {}
export class PriceComparisonNotFoundError extends defineError('PRICE_COMPARISON_NOT_FOUND', 'not_found') {}

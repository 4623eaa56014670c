import { defineError } from '../errors';

export class BidAfterDeadlineError extends defineError('BID_AFTER_DEADLINE', 'conflict') {}
export class BidOnInactiveTenderError extends defineError('TENDER_NOT_ACCEPTING_BIDS', 'conflict') {}
export class BidAlreadyExistsError extends defineError('BID_ALREADY_EXISTS', 'conflict') {}
export class BidNotFoundError extends defineError('BID_NOT_FOUND', 'not_found') {}
export class BidPriceAboveEstimateError extends defineError('BID_PRICE_ABOVE_ESTIMATE', 'invalid') {}
export class BidCurrencyMismatchError extends defineError('BID_CURRENCY_MISMATCH', 'invalid') {}
export class BidLotInvalidError extends defineError('BID_LOT_INVALID', 'invalid') {}
export class BidsSealedError extends defineError('BIDS_SEALED', 'forbidden') {}
export class IdempotencyKeyReusedError extends defineError('IDEMPOTENCY_KEY_REUSED', 'conflict') {}
export class BidTenderChangingError extends defineError('BID_TENDER_CHANGING', 'conflict') {}
export class TenderAmendedSinceError extends defineError('TENDER_AMENDED_SINCE', 'conflict') {}
/** The tender's organiser is suspended by an operator: its tender takes no bids until it is reinstated. */
export class TenderBuyerSuspendedError extends defineError('TENDER_BUYER_SUSPENDED', 'conflict') {}
/** A quotation session is open only to suppliers with a current offer for its item (see QUOTATION_OFFER). */
export class QuotationOfferRequiredError extends defineError('QUOTATION_OFFER_REQUIRED', 'forbidden') {}

import { defineError } from '../errors';

/** The tender is not an electronic auction (it has no auction to show). */
export class AuctionNotFoundError extends defineError('AUCTION_NOT_FOUND', 'not_found') {}
/** The tender is not in its live auction (not an auction, not opened yet, or already ended). */
export class AuctionNotRunningError extends defineError('AUCTION_NOT_RUNNING', 'conflict') {}
/** The auction's end has passed: it is being (or has been) finished with the prices it had. */
export class AuctionEndedError extends defineError('AUCTION_ENDED', 'conflict') {}
/** Only a supplier whose first bid on the lot was opened bids in its auction. */
export class AuctionNotParticipantError extends defineError('AUCTION_NOT_PARTICIPANT', 'forbidden') {}
/** The lot left the auction (cancelled, or unsuccessful at the opening). */
export class AuctionLotClosedError extends defineError('AUCTION_LOT_CLOSED', 'conflict') {}
/** The holder of a lot's lowest price offers no new one until another beats it (no bidding against oneself). */
export class AuctionAlreadyLeadingError extends defineError('AUCTION_ALREADY_LEADING', 'conflict') {}
export class AuctionPriceInvalidError extends defineError('AUCTION_PRICE_INVALID', 'invalid') {}
export class AuctionPriceNotLowerError extends defineError('AUCTION_PRICE_NOT_LOWER', 'invalid') {}
export class AuctionStepTooSmallError extends defineError('AUCTION_STEP_TOO_SMALL', 'invalid') {}

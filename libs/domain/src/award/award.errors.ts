import { defineError } from '../errors';

export class AwardNotFoundError extends defineError('AWARD_NOT_FOUND', 'not_found') {}
export class AwardStateError extends defineError('AWARD_STATE_CONFLICT', 'conflict') {}
export class ContractNotFoundError extends defineError('CONTRACT_NOT_FOUND', 'not_found') {}
export class ContractStateError extends defineError('CONTRACT_STATE_CONFLICT', 'conflict') {}
export class StandstillNotOverError extends defineError('STANDSTILL_NOT_OVER', 'conflict') {}
export class ComplaintNotFoundError extends defineError('COMPLAINT_NOT_FOUND', 'not_found') {}
export class ComplaintExistsError extends defineError('COMPLAINT_EXISTS', 'conflict') {}
export class ComplaintPeriodOverError extends defineError('COMPLAINT_PERIOD_OVER', 'conflict') {}
export class ComplaintStateError extends defineError('COMPLAINT_STATE_CONFLICT', 'conflict') {}
export class ComplaintPendingError extends defineError('COMPLAINT_PENDING', 'conflict') {}
export class NotABidderError extends defineError('NOT_A_BIDDER_ON_LOT', 'forbidden') {}

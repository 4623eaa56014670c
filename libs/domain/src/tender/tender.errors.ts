import { defineError } from '../errors';

export class TenderNotFoundError extends defineError('TENDER_NOT_FOUND', 'not_found') {}
export class TenderNotOwnedError extends defineError('TENDER_NOT_OWNED', 'forbidden') {}
export class TenderStateError extends defineError('TENDER_STATE_CONFLICT', 'conflict') {}
export class TenderInvalidError extends defineError('TENDER_INVALID', 'invalid') {}
export class TenderPeriodTooShortError extends defineError('TENDER_PERIOD_TOO_SHORT', 'invalid') {}
export class UnknownBuyerError extends defineError('UNKNOWN_BUYER', 'invalid') {}
export class BuyerNotActiveError extends defineError('BUYER_NOT_ACTIVE', 'forbidden') {}
export class LotNotFoundError extends defineError('LOT_NOT_FOUND', 'not_found') {}
export class LotStateError extends defineError('LOT_STATE_CONFLICT', 'conflict') {}

/** A lot of the tender that is no longer on offer (cancelled, unsuccessful, complete): a 409 naming its state. */
export function lotNotActive(status: string, field: string, action: string): LotStateError {
  return new LotStateError(`The lot is ${status}; only an active lot can be ${action}`, {
    field,
    status,
    required: 'active',
  });
}
export class QuestionNotFoundError extends defineError('QUESTION_NOT_FOUND', 'not_found') {}
export class ClarificationsClosedError extends defineError('CLARIFICATIONS_CLOSED', 'conflict') {}
export class QuestionAlreadyAnsweredError extends defineError('QUESTION_ALREADY_ANSWERED', 'conflict') {}
export class NotTheBuyerError extends defineError('NOT_THE_BUYER', 'forbidden') {}
export class SupplierNotActiveError extends defineError('SUPPLIER_NOT_ACTIVE', 'forbidden') {}
export class DeadlineExtensionRequiredError extends defineError('DEADLINE_EXTENSION_REQUIRED', 'invalid') {}
export class TenderDeadlinePassedError extends defineError('TENDER_DEADLINE_PASSED', 'conflict') {}
export class NothingToAmendError extends defineError('NOTHING_TO_AMEND', 'invalid') {}
export class TenderLimitError extends defineError('TENDER_LIMIT_REACHED', 'conflict') {}
export class JointBuyerNotConfirmedError extends defineError('JOINT_BUYER_NOT_CONFIRMED', 'conflict') {}
export class DraftChangedError extends defineError('DRAFT_CHANGED', 'conflict') {}
export class QuotationNotAmendableError extends defineError('QUOTATION_NOT_AMENDABLE', 'conflict') {}

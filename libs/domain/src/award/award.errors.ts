import { defineError } from '../errors';

export class AwardNotFoundError extends defineError('AWARD_NOT_FOUND', 'not_found') {}
export class AwardStateError extends defineError('AWARD_STATE_CONFLICT', 'conflict') {}
export class ContractNotFoundError extends defineError('CONTRACT_NOT_FOUND', 'not_found') {}
export class ContractStateError extends defineError('CONTRACT_STATE_CONFLICT', 'conflict') {}
export class StandstillNotOverError extends defineError('STANDSTILL_NOT_OVER', 'conflict') {}

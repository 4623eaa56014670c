import { defineError } from './domain-error';

export class ValidationFailedError extends defineError('VALIDATION_FAILED', 'invalid') {}
export class NotFoundError extends defineError('NOT_FOUND', 'not_found') {}
export class UnauthenticatedError extends defineError('UNAUTHENTICATED', 'unauthenticated') {}
export class ForbiddenRoleError extends defineError('FORBIDDEN_ROLE', 'forbidden') {}
export class InvalidCursorError extends defineError('INVALID_CURSOR', 'invalid') {}

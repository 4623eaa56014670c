import { defineError } from '../errors';

export class InvalidCredentialsError extends defineError('INVALID_CREDENTIALS', 'unauthenticated') {}
export class LoginThrottledError extends defineError('LOGIN_THROTTLED', 'throttled') {}
export class RegistrationThrottledError extends defineError('REGISTRATION_THROTTLED', 'throttled') {}
/** Too many uses of reset tokens from one client address this hour; nothing was looked up or changed. */
export class PasswordResetThrottledError extends defineError('PASSWORD_RESET_THROTTLED', 'throttled') {}
export class InvalidRefreshTokenError extends defineError('INVALID_REFRESH_TOKEN', 'unauthenticated') {}
export class SessionRevokedError extends defineError('SESSION_REVOKED', 'unauthenticated') {}
/** Its users cannot sign in or stay signed in while an operator keeps the organisation suspended. */
export class OrganizationSuspendedError extends defineError('ORGANIZATION_SUSPENDED', 'forbidden') {}
export class EmailTakenError extends defineError('EMAIL_TAKEN', 'conflict') {}
/** A password change whose current password is wrong (counted as a failed login). */
export class CurrentPasswordWrongError extends defineError('CURRENT_PASSWORD_WRONG', 'forbidden') {}
export class PasswordUnchangedError extends defineError('PASSWORD_UNCHANGED', 'invalid') {}
export class PasswordResetInvalidError extends defineError('PASSWORD_RESET_INVALID', 'unauthenticated') {}
/** An operator's password is never reset by another operator (that would hand over the account): see README. */
export class OperatorResetNotAllowedError extends defineError('OPERATOR_RESET_NOT_ALLOWED', 'forbidden') {}
export class UserNotFoundError extends defineError('USER_NOT_FOUND', 'not_found') {}
/** Two changes of one password at once: the other one won, and this one changed nothing. */
export class PasswordChangedMeanwhileError extends defineError('PASSWORD_CHANGED_MEANWHILE', 'conflict') {}
/** An operator does not turn off its own account: someone must be left to turn it back on. */
export class CannotDeactivateSelfError extends defineError('CANNOT_DEACTIVATE_SELF', 'conflict') {}
/** The caller's own account was turned off while its request ran. */
export class UserInactiveError extends defineError('USER_INACTIVE', 'forbidden') {}

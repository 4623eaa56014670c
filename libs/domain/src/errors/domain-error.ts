/** How a domain error maps onto the outside world; the HTTP layer turns a kind into a status code. */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'unsupported_media'
  | 'throttled'
  | 'unavailable';

/**
 * A rule of the marketplace was not met. The code is stable and documented; the message is for people;
 * details are structured and must never contain secrets, sealed values or personal data.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Builds a DomainError class with a fixed code and kind, so each error stays a one-liner. */
export function defineError(code: string, kind: DomainErrorKind) {
  return class extends DomainError {
    readonly code = code;
    readonly kind = kind;
  };
}

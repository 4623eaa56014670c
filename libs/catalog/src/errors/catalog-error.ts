/**
 * How a catalogue error maps onto the outside world. The names are the same as the domain library's kinds, so
 * the HTTP layer maps both alike without the catalogue depending on the domain library.
 */
export type CatalogErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict';

/**
 * A catalogue rule was not met. The code is stable and documented; the message is for people; details are
 * structured and never carry secrets or personal data.
 */
export abstract class CatalogError extends Error {
  abstract readonly code: string;
  abstract readonly kind: CatalogErrorKind;

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Builds a CatalogError class with a fixed code and kind, so each error stays a one-liner. */
export function defineCatalogError(code: string, kind: CatalogErrorKind) {
  return class extends CatalogError {
    readonly code = code;
    readonly kind = kind;
  };
}

export class CatalogValidationError extends defineCatalogError('VALIDATION_FAILED', 'invalid') {}
export class CatalogInvalidCursorError extends defineCatalogError('INVALID_CURSOR', 'invalid') {}

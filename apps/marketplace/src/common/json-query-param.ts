import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationFailedError } from '@app/domain';

/** The JSON array in `value`, or null for anything else (not text, not JSON, not an array). */
function parseArray(value: unknown): unknown[] | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * A @Transform for a query parameter that holds a JSON array of objects (a list of records does not fit
 * `name=value` pairs unambiguously): its objects become instances of `type`, so @ValidateNested checks them and
 * the global pipe refuses their unknown keys. Anything else (not JSON, not an array, a repeated parameter) is a
 * 400 with one message, thrown here: left to the validators, each would add its own about a non-array.
 */
export function jsonArrayOf<T>(
  type: ClassConstructor<T>,
  elements: string,
): (params: { key: string; value: unknown }) => unknown {
  return ({ key, value }) => {
    const array = parseArray(value);
    if (!array) {
      const message = `${key} must be a JSON array of ${elements}`;
      throw new ValidationFailedError(`${key}: ${message}`, {
        fields: [{ field: key, messages: [message] }],
      });
    }
    return array.map((element: unknown) =>
      typeof element === 'object' && element !== null && !Array.isArray(element)
        ? plainToInstance(type, element)
        : element,
    );
  };
}

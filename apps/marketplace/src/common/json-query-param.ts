import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationFailedError } from '@app/domain';
import { MAX_JSON_DEPTH, unstorablePath } from './body-parser-errors';

/** Whether `value` nests arrays and objects deeper than `limit`. */
function nestsDeeper(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  return Object.values(value).some((v) => nestsDeeper(v, limit - 1));
}

/**
 * The JSON array in `value`, or null for anything else (not text, not JSON, not an array, nested deeper than a
 * body may be). Its escapes may spell text PostgreSQL cannot store, which the body guard never saw: refused.
 */
function parseArray(key: string, value: unknown): unknown[] | null {
  if (typeof value !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || nestsDeeper(parsed, MAX_JSON_DEPTH)) return null;
  const unstorable = unstorablePath(parsed, key);
  if (unstorable) {
    const { field, message } = unstorable;
    throw new ValidationFailedError(`${field}: ${message}`, { fields: [{ field, messages: [message] }] });
  }
  return parsed as unknown[];
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
    const array = parseArray(key, value);
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

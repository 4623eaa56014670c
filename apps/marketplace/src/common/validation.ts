import {
  applyDecorators,
  type ArgumentMetadata,
  ParseUUIDPipe,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  buildMessage,
  IsBoolean,
  isISO8601,
  IsUrl,
  IsUUID,
  ValidateBy,
  ValidateIf,
  type ValidationOptions,
} from 'class-validator';
import { recommendation20Code } from '@app/catalog';
import { defineError, ValidationFailedError } from '@app/domain';
import { asciiUrl } from '@app/domain/ocds';

export class InvalidIdError extends defineError('INVALID_ID', 'invalid') {}

interface FieldProblem {
  field: string;
  messages: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // A field left out breaks every rule it has: say that it is missing ("title is required"), not the first
    // rule's message ("title must be shorter than or equal to 500 characters"). Optional fields are never here.
    const messages = error.constraints
      ? error.value === undefined
        ? [`${error.property} is required`]
        : Object.values(error.constraints)
      : [];
    const own = messages.length > 0 ? [{ field, messages }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** One global pipe: unknown fields are refused, types are converted, the first message names the field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The value is read only to tell a missing field (flatten); it never leaves in a response.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fields = flatten(errors).map(({ field, messages }) => ({
        field,
        // class-validator names only the leaf property; say the full path instead.
        messages: messages.map((m) =>
          m.replace(/^property (\S+) should not exist$/, `property ${field} should not exist`),
        ),
      }));
      const first = fields[0];
      const message = first ? `${first.field}: ${first.messages[0]}` : 'The request is not valid';
      return new ValidationFailedError(message, { fields });
    },
  });
}

/** A UUID in the lower case PostgreSQL writes, so an id compared as text in code matches the stored one. */
class LowerCaseUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return (await super.transform(value, metadata)).toLowerCase();
  }
}

/** Path ids are UUIDs (any case); anything else is a 400 naming the parameter, before any query runs. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new LowerCaseUuidPipe({
    exceptionFactory: () => new InvalidIdError(`${name} must be a UUID`, { field: name }),
  });
}

/**
 * An optional field of a request: it may be left out, but when it is there it is validated, null included.
 * class-validator's IsOptional also skips null, which let `"characteristics": null` or `"titleRu": null` reach
 * code that expects a list or a string (a 500). IsOptional stays only where null is a documented value
 * (`nullable: true`).
 */
export const Optional = (options?: ValidationOptions): PropertyDecorator =>
  ValidateIf((_object, value) => value !== undefined, options);

/**
 * Calendar dates, or dates with a time and its offset from UTC: ISO 8601's extended form, as JavaScript and
 * PostgreSQL read it.
 */
const CALENDAR_TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?))?$/i;

/**
 * A date (2027-03-01, midnight UTC) or an instant (2027-03-01T12:00:00Z) that is a real day and time.
 * class-validator's IsISO8601 also takes week and ordinal dates (2027-W01-1, 2027-100) and the basic form
 * (20270301), which JavaScript's Date cannot read (an Invalid Date reached the database as "NaN-NaN-NaN", a 500).
 * A time must name its offset: without one, JavaScript reads it in the server's own zone, so a Moscow buyer's
 * "12:00" deadline would fall at 12:00 in whatever zone the server runs in.
 */
export function isTimestamp(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    CALENDAR_TIMESTAMP.test(value) &&
    isISO8601(value, { strict: true }) &&
    !Number.isNaN(Date.parse(value))
  );
}

export const IsTimestamp = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: isTimestamp,
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be a date or an ISO 8601 date and time with its offset, such as 2027-03-01T12:00:00Z`,
          options,
        ),
      },
    },
    options,
  );

/**
 * What shows no text: spaces and separators, format characters (zero-width spaces and joiners, direction marks)
 * and the fillers that render blank (Braille blank, Hangul fillers).
 */
const INVISIBLE = /[\s\p{Z}\p{Cf}\u2800\u3164\u115F\u1160\uFFA0]/gu;

/** How many characters of a text show: all but INVISIBLE ones. */
export const visibleLength = (text: string): number => text.replace(INVISIBLE, '').length;

/**
 * Free text of at least `min` visible characters, as the services trim it before they store it: "     " passed
 * MinLength(5) and was stored as an empty title, and five zero-width spaces made a title nobody could read. It
 * speaks only for a string MinLength lets through, so a short one keeps MinLength's own message, and one message
 * per problem.
 */
export const MinText = (min: number, options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'minText',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || value.length < min || visibleLength(value) >= min,
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must have at least ${min} character${min === 1 ? '' : 's'} besides spaces and invisible characters`,
          options,
        ),
      },
    },
    options,
  );

/** What makes two documents of one list the same: their content's SHA-256 (for ArrayUnique). */
export const documentContent = (d: unknown): unknown => (d as { sha256?: unknown } | null)?.sha256;

/** What makes two characteristics of one item the same: the name, in any case (for ArrayUnique). */
export const characteristicName = (c: unknown): unknown => {
  const name = (c as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name.trim().toLowerCase() : name;
};

/**
 * A whole number in a query string, written plainly ("25"): parsed to a number; "0x19", "2.5e1", " 25" or "025"
 * stay text, which IsInt refuses, where Number() read them all.
 */
export const QueryWholeNumber = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^(0|[1-9]\d{0,15})$/.test(value) ? Number(value) : value,
  );

const lowerCase = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);

/**
 * An id field (one UUID, or a list with `each`): validated as IsUUID does, in any case, and kept in the lower
 * case PostgreSQL writes, so that ids compared in code (a repeated buyer, an item merged into itself, an offer
 * key) match the stored ones.
 */
export const IsId = (options?: ValidationOptions): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map(lowerCase) : lowerCase(value),
    ),
    IsUUID(undefined, options),
  );

/** An http(s) link (one, or a list with `each`), stored and published as an ASCII URI (asciiUrl). */
export const HttpUrl = (options?: ValidationOptions): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map(asciiUrl) : asciiUrl(value),
    ),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true }, options),
  );

/** A yes-or-no query parameter: `true` or `false` as written, anything else refused. */
export const QueryBoolean = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean(),
  );

/** A unit code field: a Recommendation 20 code, or an ОКЕИ code that is read as its Recommendation 20 code. */
export const UnitCode = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => recommendation20Code(value));

/** A month YYYY-MM that PostgreSQL reads as a date (its first day): year 0000 does not exist. */
export const MONTH_PATTERN = /^(?!0000)\d{4}-(0[1-9]|1[0-2])$/;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

/** The OpenAPI description of the header (ApiHeader). */
export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes retries safe: a retry with the same key gets the first answer (200), nothing done twice',
};

/**
 * The Idempotency-Key header of a POST that makes retries safe (a bid, a question, an amendment): absent, or
 * 8-128 letters, digits, _ . : or -.
 */
export function checkedIdempotencyKey(key: string | undefined): string | undefined {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationFailedError('Idempotency-Key: must be 8-128 letters, digits, _ . : or -', {
      fields: [{ field: 'Idempotency-Key', messages: ['must be 8-128 letters, digits, _ . : or -'] }],
    });
  }
  return key;
}

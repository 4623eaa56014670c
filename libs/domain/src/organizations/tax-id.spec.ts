import fc from 'fast-check';
import {
  TAX_ID_SCHEMES,
  TAX_ID_SCHEME_COUNTRY,
  checkTaxId,
  isValidTaxId,
  makeValidTaxId,
  type TaxIdScheme,
} from './tax-id';

type CheckedScheme = 'RU-INN' | 'KZ-BIN' | 'BY-UNP' | 'MD-IDNO' | 'UA-EDRPOU';

/** Every length of every scheme with a check digit, and how many trailing check digits it carries. */
const CHECKED_SHAPES: readonly { scheme: CheckedScheme; length: number; checkLength: number }[] = [
  { scheme: 'RU-INN', length: 10, checkLength: 1 },
  { scheme: 'RU-INN', length: 12, checkLength: 2 },
  { scheme: 'KZ-BIN', length: 12, checkLength: 1 },
  { scheme: 'BY-UNP', length: 9, checkLength: 1 },
  { scheme: 'MD-IDNO', length: 13, checkLength: 1 },
  { scheme: 'UA-EDRPOU', length: 8, checkLength: 1 },
];

const FORMAT_ONLY: readonly { scheme: TaxIdScheme; lengths: number[] }[] = [
  { scheme: 'KG-INN', lengths: [14] },
  { scheme: 'AM-TIN', lengths: [8] },
  { scheme: 'TJ-INN', lengths: [9] },
  { scheme: 'UZ-INN', lengths: [9] },
  { scheme: 'GE-TIN', lengths: [9, 11] },
  { scheme: 'AZ-TIN', lengths: [10] },
];

const ALLOWED_LENGTHS: Record<TaxIdScheme, number[]> = {
  'RU-INN': [10, 12],
  'KZ-BIN': [12],
  'BY-UNP': [9],
  'KG-INN': [14],
  'AM-TIN': [8],
  'MD-IDNO': [13],
  'TJ-INN': [9],
  'UZ-INN': [9],
  'UA-EDRPOU': [8],
  'GE-TIN': [9, 11],
  'AZ-TIN': [10],
};

const digitString = (length: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

/** All ways to finish `body` with `checkLength` digits that the checker accepts (found by brute force). */
function completions(scheme: string, body: string, checkLength: number): string[] {
  const found: string[] = [];
  for (let tail = 0; tail < 10 ** checkLength; tail++) {
    const id = body + String(tail).padStart(checkLength, '0');
    if (isValidTaxId(scheme, id)) found.push(id);
  }
  return found;
}

/** A valid id built from a random body, so the properties do not depend on makeValidTaxId. */
function validIdOf(shape: { scheme: CheckedScheme; length: number; checkLength: number }) {
  return digitString(shape.length - shape.checkLength)
    .map((body) => completions(shape.scheme, body, shape.checkLength)[0])
    .filter((id): id is string => id !== undefined);
}

function replaceDigit(id: string, position: number, delta: number): string {
  const next = (Number(id[position]) + delta) % 10;
  return id.slice(0, position) + next + id.slice(position + 1);
}

const digitsOf = (id: string) => Array.from(id, Number);
const dot = (digits: number[], weights: number[]) =>
  weights.reduce((sum, w, i) => sum + w * (digits[i] ?? 0), 0);

/** KZ-BIN: remainder of the first weighting pass (weights 1..11); 10 sends the number to the second pass. */
const kzFirstPass = (id: string) => dot(digitsOf(id), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) % 11;

/** UA-EDRPOU: which weight row the whole code selects, and the remainder of the first pass with it. */
function uaFirstPass(id: string): { middleRow: boolean; remainder: number } {
  const code = Number(id);
  const middleRow = code >= 30_000_000 && code <= 60_000_000;
  const weights = middleRow ? [7, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5, 6, 7];
  return { middleRow, remainder: dot(digitsOf(id), weights) % 11 };
}

/**
 * Whether the scheme's arithmetic guarantees that changing the digit at `position` of the valid `id` (giving
 * `mutated`) is detected. Reasoning, with every weight non-zero modulo the prime 11 (or coprime to 10 for MD):
 * - any change to a check digit: the rest of the number fixes exactly one check value, so it is always caught;
 * - BY-UNP: a data change always moves the remainder mod 11, which either differs from the check digit or is
 *   10 (never issued): always caught;
 * - MD-IDNO: weights 7, 3, 1 are units mod 10, so the sum mod 10 always moves: always caught;
 * - RU-INN: the remainder mod 11 always moves, but 0 and 10 both give check digit 0, so a change slips through
 *   only when it swaps a remainder of 0 and 10; with a non-zero check digit that is impossible;
 * - KZ-BIN and UA-EDRPOU: the second weighting pass (and, for UA, a change of weight row) can land on the same
 *   check digit, so only changes that keep both numbers in the same first pass are guaranteed to be caught;
 * - KZ-BIN also weights the eleventh digit by 11, which is 0 mod 11, so a change there is invisible to the first
 *   pass and is never guaranteed to be caught.
 */
function changeIsAlwaysCaught(scheme: CheckedScheme, id: string, mutated: string, position: number): boolean {
  const checkLength = scheme === 'RU-INN' && id.length === 12 ? 2 : 1;
  if (position >= id.length - checkLength) return true;
  switch (scheme) {
    case 'BY-UNP':
    case 'MD-IDNO':
      return true;
    case 'RU-INN':
      return !/^0+$/.test(id.slice(id.length - checkLength));
    case 'KZ-BIN':
      return position !== 10 && kzFirstPass(id) !== 10 && kzFirstPass(mutated) !== 10;
    case 'UA-EDRPOU': {
      const before = uaFirstPass(id);
      const after = uaFirstPass(mutated);
      return before.middleRow === after.middleRow && before.remainder !== 10 && after.remainder !== 10;
    }
  }
}

describe('checkTaxId', () => {
  describe('hand-verified examples', () => {
    it.each([
      // 7,7,0,7,0,8,3,8,9 x 2,4,10,3,5,9,4,6,8 = 267; 267 mod 11 = 3 -> 3 (Sberbank's INN).
      ['RU-INN', '7707083893'],
      // First check: 148 mod 11 = 5; second check: 141 mod 11 = 9.
      ['RU-INN', '500100732259'],
      // 9,7,1,2,4,0,0,0,1,3,1 x 1..11 = 104; 104 mod 11 = 5.
      ['KZ-BIN', '971240001315'],
      // 9,4,0,1,4,0,0,0,0,3,8 x 1..11 = 159; 159 mod 11 = 5.
      ['KZ-BIN', '940140000385'],
      // First pass 87 mod 11 = 10; second pass (3,4,...,11,1,2) 111 mod 11 = 1.
      ['KZ-BIN', '190740000201'],
      // 1,0,0,3,2,5,9,1 x 29,23,19,17,13,7,5,3 = 189; 189 mod 11 = 2.
      ['BY-UNP', '100325912'],
      // 1,0,0,8,6,0,0,0,3,8,4,1 x 7,3,1,... = 153; 153 mod 10 = 3.
      ['MD-IDNO', '1008600038413'],
      // Below 30M, weights 1..7: 121 mod 11 = 0.
      ['UA-EDRPOU', '14360570'],
      // Below 30M: 0+0+0+12+10+6+14 = 42; 42 mod 11 = 9.
      ['UA-EDRPOU', '00032129'],
      // Below 30M: 121 mod 11 = 0.
      ['UA-EDRPOU', '20077720'],
      // Between 30M and 60M, weights 7,1,2,3,4,5,6: 91 mod 11 = 3.
      ['UA-EDRPOU', '30123453'],
      // Above 60M, weights 1..7: 6 mod 11 = 6.
      ['UA-EDRPOU', '60000006'],
      // First pass 65 mod 11 = 10; weights 3..9 give 87 mod 11 = 10, which becomes 0.
      ['UA-EDRPOU', '20000090'],
      // First pass 131 mod 11 = 10; weights 3..9 give 187 mod 11 = 0.
      ['UA-EDRPOU', '14362570'],
      ['KG-INN', '01001202718281'],
      ['AM-TIN', '02718281'],
      ['TJ-INN', '022718281'],
      ['UZ-INN', '302718281'],
      ['GE-TIN', '202718281'],
      ['GE-TIN', '01005859874'],
      ['AZ-TIN', '1427182811'],
    ])('accepts %s %s', (scheme, id) => {
      expect(checkTaxId(scheme, id)).toEqual({ ok: true, normalized: id });
      expect(isValidTaxId(scheme, id)).toBe(true);
    });

    it.each([
      ['RU-INN', '7707083894'],
      ['RU-INN', '500100732269'], // first of the two check digits wrong
      ['RU-INN', '500100732258'], // second check digit wrong
      ['KZ-BIN', '971240001316'],
      ['BY-UNP', '100325913'],
      ['MD-IDNO', '1008600038412'],
      ['UA-EDRPOU', '14360571'],
      // 60000009 is above 60M, so weights 1..7 apply and the check digit must be 6.
      ['UA-EDRPOU', '60000009'],
      // 60000000 is not above 60M, so weights 7,1,..,6 apply: 42 mod 11 = 9, not 0.
      ['UA-EDRPOU', '60000000'],
    ])('rejects the check digit of %s %s', (scheme, id) => {
      expect(checkTaxId(scheme, id)).toEqual({
        ok: false,
        problem: 'BAD_CHECK_DIGIT',
        message: `The ${scheme} check digit is not valid.`,
      });
      expect(isValidTaxId(scheme, id)).toBe(false);
    });

    it('rejects numbers whose check digit cannot be formed', () => {
      // KZ-BIN body 19074000100: both passes leave 10 (76 and 120 mod 11), so the number is never issued.
      expect(completions('KZ-BIN', '19074000100', 1)).toEqual([]);
      // BY-UNP body 10000001: 29 + 3 = 32; 32 mod 11 = 10, which is never issued.
      expect(completions('BY-UNP', '10000001', 1)).toEqual([]);
      expect(checkTaxId('BY-UNP', '100000010')).toMatchObject({ ok: false, problem: 'BAD_CHECK_DIGIT' });
    });

    it('documents that mod-11 schemes can miss a single changed digit', () => {
      // RU-INN: 252 mod 11 = 10 and 242 mod 11 = 0 both give check digit 0.
      expect(isValidTaxId('RU-INN', '7752846530')).toBe(true);
      expect(isValidTaxId('RU-INN', '2752846530')).toBe(true);
      // KZ-BIN: 220 mod 11 = 0; after the change 208 mod 11 = 10 and the second pass gives 165 mod 11 = 0.
      expect(isValidTaxId('KZ-BIN', '270140182810')).toBe(true);
      expect(isValidTaxId('KZ-BIN', '210140182810')).toBe(true);
      // KZ-BIN: the eleventh digit has weight 11, i.e. 0 mod 11, in the first pass.
      expect(isValidTaxId('KZ-BIN', '971240001315')).toBe(true);
      expect(isValidTaxId('KZ-BIN', '971240001375')).toBe(true);
      // UA-EDRPOU: 14360570 and 14362570 (second pass) both end in 0.
      expect(isValidTaxId('UA-EDRPOU', '14360570')).toBe(true);
      expect(isValidTaxId('UA-EDRPOU', '14362570')).toBe(true);
    });
  });

  describe('format', () => {
    it('trims surrounding whitespace and returns the trimmed id', () => {
      expect(checkTaxId('RU-INN', '  7707083893\t\n')).toEqual({ ok: true, normalized: '7707083893' });
      expect(checkTaxId('GE-TIN', ' 202718281 ')).toEqual({ ok: true, normalized: '202718281' });
    });

    it.each([
      ['RU-INN', '', 'RU-INN must be exactly 10 or 12 digits.'],
      ['RU-INN', '770708389', 'RU-INN must be exactly 10 or 12 digits.'],
      ['RU-INN', '77070838931', 'RU-INN must be exactly 10 or 12 digits.'],
      ['RU-INN', '77070838A3', 'RU-INN must be exactly 10 or 12 digits.'],
      ['RU-INN', '7707 083893', 'RU-INN must be exactly 10 or 12 digits.'],
      ['RU-INN', '+7707083893', 'RU-INN must be exactly 10 or 12 digits.'],
      ['RU-INN', '７７０７０８３８９３', 'RU-INN must be exactly 10 or 12 digits.'],
      ['KZ-BIN', '97124000131', 'KZ-BIN must be exactly 12 digits.'],
      ['BY-UNP', '1003259120', 'BY-UNP must be exactly 9 digits.'],
      ['BY-UNP', 'AB1234567', 'BY-UNP must be exactly 9 digits.'],
      ['MD-IDNO', '100860003841', 'MD-IDNO must be exactly 13 digits.'],
      ['UA-EDRPOU', '1436057', 'UA-EDRPOU must be exactly 8 digits.'],
      ['KG-INN', '0100120271828', 'KG-INN must be exactly 14 digits.'],
      ['AM-TIN', '0271828', 'AM-TIN must be exactly 8 digits.'],
      ['TJ-INN', '02271828x', 'TJ-INN must be exactly 9 digits.'],
      ['UZ-INN', '3027182811', 'UZ-INN must be exactly 9 digits.'],
      ['GE-TIN', '2027182810', 'GE-TIN must be exactly 9 or 11 digits.'],
      ['AZ-TIN', '١٤٢٧١٨٢٨١١', 'AZ-TIN must be exactly 10 digits.'],
    ])('rejects the format of %s %j', (scheme, id, message) => {
      expect(checkTaxId(scheme, id)).toEqual({ ok: false, problem: 'BAD_FORMAT', message });
    });

    it('rejects any id with a character other than an ASCII digit inside', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...TAX_ID_SCHEMES),
          fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !/^[0-9]*$/.test(s.trim())),
          (scheme, id) => {
            expect(checkTaxId(scheme, id)).toMatchObject({ ok: false, problem: 'BAD_FORMAT' });
          },
        ),
      );
    });

    it('rejects digit strings of any other length', () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...TAX_ID_SCHEMES),
          fc.integer({ min: 0, max: 20 }).chain((length) => digitString(length)),
          (scheme, id) => {
            fc.pre(!ALLOWED_LENGTHS[scheme].includes(id.length));
            expect(checkTaxId(scheme, id)).toMatchObject({ ok: false, problem: 'BAD_FORMAT' });
          },
        ),
      );
    });

    it('accepts every digit string of the right length for schemes without a check digit', () => {
      for (const { scheme, lengths } of FORMAT_ONLY) {
        fc.assert(
          fc.property(fc.constantFrom(...lengths).chain(digitString), (id) => {
            expect(checkTaxId(scheme, id)).toEqual({ ok: true, normalized: id });
          }),
        );
      }
    });
  });

  describe('unknown schemes', () => {
    it.each(['US-EIN', '', 'ru-inn', 'RU_INN', ' RU-INN', 'toString', '__proto__', 'constructor'])(
      'rejects %j without echoing it',
      (scheme) => {
        expect(checkTaxId(scheme, '7707083893')).toEqual({
          ok: false,
          problem: 'UNKNOWN_SCHEME',
          message: 'The tax ID scheme is not supported.',
        });
        expect(isValidTaxId(scheme, '7707083893')).toBe(false);
      },
    );
  });

  it('never repeats the submitted id or an unknown scheme in a message', () => {
    const cases: [string, string][] = [
      ['RU-INN', '7707083894'],
      ['UA-EDRPOU', '14360571'],
      ['XX-NOPE', '7707083893'],
      ...[...TAX_ID_SCHEMES, 'XX-NOPE'].flatMap((scheme): [string, string][] => [
        [scheme, '<b>12345</b>'],
        [scheme, 'DROP TABLE x'],
        [scheme, '123456789012345678'],
      ]),
    ];
    for (const [scheme, id] of cases) {
      const result = checkTaxId(scheme, id);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).not.toContain(id);
        expect(result.message).not.toContain('XX-NOPE');
      }
    }
  });

  describe('check-digit properties', () => {
    it.each(CHECKED_SHAPES)(
      '$scheme ($length digits): any body has at most one valid completion',
      (shape) => {
        const exactlyOne = shape.scheme !== 'KZ-BIN' && shape.scheme !== 'BY-UNP';
        fc.assert(
          fc.property(digitString(shape.length - shape.checkLength), (body) => {
            const count = completions(shape.scheme, body, shape.checkLength).length;
            // KZ-BIN and BY-UNP leave some bodies without any issuable check digit.
            expect(count).toBeLessThanOrEqual(1);
            if (exactlyOne) expect(count).toBe(1);
          }),
        );
      },
    );

    it.each(CHECKED_SHAPES)(
      '$scheme ($length digits): a single changed digit is caught wherever that is guaranteed',
      (shape) => {
        fc.assert(
          fc.property(
            validIdOf(shape),
            fc.nat({ max: shape.length - 1 }),
            fc.integer({ min: 1, max: 9 }),
            (id, position, delta) => {
              const mutated = replaceDigit(id, position, delta);
              if (changeIsAlwaysCaught(shape.scheme, id, mutated, position)) {
                expect(checkTaxId(shape.scheme, mutated)).toMatchObject({
                  ok: false,
                  problem: 'BAD_CHECK_DIGIT',
                });
              }
            },
          ),
          { numRuns: 300 },
        );
      },
    );

    it.each(CHECKED_SHAPES)('$scheme ($length digits): changing a check digit is always caught', (shape) => {
      fc.assert(
        fc.property(
          validIdOf(shape),
          fc.nat({ max: shape.checkLength - 1 }),
          fc.integer({ min: 1, max: 9 }),
          (id, offset, delta) => {
            const mutated = replaceDigit(id, shape.length - shape.checkLength + offset, delta);
            expect(isValidTaxId(shape.scheme, mutated)).toBe(false);
          },
        ),
      );
    });
  });
});

describe('TAX_ID_SCHEME_COUNTRY', () => {
  it('gives the ISO country each scheme name starts with', () => {
    for (const scheme of TAX_ID_SCHEMES) {
      expect(TAX_ID_SCHEME_COUNTRY[scheme]).toMatch(/^[A-Z]{2}$/);
      expect(scheme.startsWith(`${TAX_ID_SCHEME_COUNTRY[scheme]}-`)).toBe(true);
    }
  });
});

describe('makeValidTaxId', () => {
  it('builds ids that pass the check for every scheme', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TAX_ID_SCHEMES),
        fc.integer({ min: 0, max: 1_000_000 }),
        (scheme, seed) => {
          const id = makeValidTaxId(scheme, seed);
          expect(checkTaxId(scheme, id)).toEqual({ ok: true, normalized: id });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('covers both lengths of the schemes that have two', () => {
    expect(makeValidTaxId('RU-INN', 0)).toHaveLength(10);
    expect(makeValidTaxId('RU-INN', 1)).toHaveLength(12);
    expect(makeValidTaxId('GE-TIN', 0)).toHaveLength(9);
    expect(makeValidTaxId('GE-TIN', 1)).toHaveLength(11);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TAX_ID_SCHEMES), fc.integer(), (scheme, seed) => {
        expect(makeValidTaxId(scheme, seed)).toBe(makeValidTaxId(scheme, seed));
      }),
    );
  });

  it('gives different seeds different ids', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TAX_ID_SCHEMES),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (scheme, a, b) => {
          fc.pre(a !== b);
          expect(makeValidTaxId(scheme, a)).not.toBe(makeValidTaxId(scheme, b));
        },
      ),
    );
    for (const scheme of TAX_ID_SCHEMES) {
      const ids = new Set<string>();
      for (let seed = 0; seed <= 5_000; seed++) ids.add(makeValidTaxId(scheme, seed));
      ids.add(makeValidTaxId(scheme, 1_000_000));
      expect(ids.size).toBe(5_002);
    }
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => makeValidTaxId('RU-INN', 1.5)).toThrow(RangeError);
    expect(() => makeValidTaxId('RU-INN', Number.NaN)).toThrow(RangeError);
  });
});

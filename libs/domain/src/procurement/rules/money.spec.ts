import fc from 'fast-check';
import {
  MAX_AMOUNT_MINOR,
  formatAmount,
  isValidAmount,
  parseAmount,
  percentOf,
  splitByShares,
  splitGivingEveryShareACent,
  sumAmounts,
} from './money';

const cents = fc.bigInt({ min: 0n, max: MAX_AMOUNT_MINOR });
/** An amount written the way people write it: "7", "7.5" or "7.50". */
const amountText = cents.chain((c) => {
  const whole = String(c / 100n);
  const fraction = String(c % 100n).padStart(2, '0');
  const forms = [`${whole}.${fraction}`];
  if (fraction.endsWith('0')) forms.push(`${whole}.${fraction[0]}`);
  if (fraction === '00') forms.push(whole);
  return fc.constantFrom(...forms).map((text) => ({ text, cents: c }));
});

describe('parseAmount', () => {
  it('reads whole, one- and two-decimal amounts as cents', () => {
    expect(parseAmount('1234.50')).toBe(123450n);
    expect(parseAmount('1234.5')).toBe(123450n);
    expect(parseAmount('1234')).toBe(123400n);
    expect(parseAmount('0')).toBe(0n);
    expect(parseAmount('0.01')).toBe(1n);
    expect(parseAmount('007.10')).toBe(710n);
    expect(parseAmount('1000000000000')).toBe(MAX_AMOUNT_MINOR);
  });

  it('throws RangeError on bad formats and out-of-range values', () => {
    for (const bad of [
      '',
      ' ',
      '1.234',
      '-1',
      '-0.01',
      '1e3',
      '1E3',
      '.5',
      '5.',
      '1,50',
      '+1',
      '0x10',
      ' 1',
      '1 ',
    ]) {
      expect(() => parseAmount(bad)).toThrow(RangeError);
    }
    expect(() => parseAmount('1000000000000.01')).toThrow(RangeError);
    expect(() => parseAmount('9'.repeat(5000))).toThrow(RangeError);
    expect(() => parseAmount(12 as unknown as string)).toThrow(RangeError);
  });

  it('reads every valid amount to the exact cent', () => {
    fc.assert(fc.property(amountText, ({ text, cents: c }) => expect(parseAmount(text)).toBe(c)));
  });
});

describe('formatAmount', () => {
  it('always writes two decimals', () => {
    expect(formatAmount(123450n)).toBe('1234.50');
    expect(formatAmount(5n)).toBe('0.05');
    expect(formatAmount(0n)).toBe('0.00');
  });

  it('refuses negative amounts', () => {
    expect(() => formatAmount(-1n)).toThrow(RangeError);
  });

  it('round-trips with parseAmount', () => {
    fc.assert(fc.property(cents, (c) => expect(parseAmount(formatAmount(c))).toBe(c)));
    fc.assert(
      fc.property(amountText, ({ text }) => expect(formatAmount(parseAmount(text))).toBe(normalise(text))),
    );
  });
});

describe('isValidAmount', () => {
  it('says whether parseAmount would accept the text', () => {
    expect(isValidAmount('10.05')).toBe(true);
    expect(isValidAmount('10.055')).toBe(false);
    expect(isValidAmount('1e2')).toBe(false);
  });
});

describe('sumAmounts', () => {
  it('adds exactly where floating point does not', () => {
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.30');
    expect(sumAmounts([])).toBe('0.00');
    expect(sumAmounts(['1000000000000', '0.01'])).toBe('1000000000000.01');
  });

  it('equals a BigInt sum of the cents', () => {
    fc.assert(
      fc.property(fc.array(amountText, { maxLength: 30 }), (xs) => {
        const reference = xs.reduce((sum, x) => sum + x.cents, 0n);
        expect(sumAmounts(xs.map((x) => x.text))).toBe(formatAmount(reference));
      }),
    );
  });
});

describe('splitByShares', () => {
  it('gives leftover cents to the largest remainders', () => {
    expect(splitByShares('100.00', ['1', '1', '1'])).toEqual(['33.34', '33.33', '33.33']);
    expect(splitByShares('10.00', ['1', '2'])).toEqual(['3.33', '6.67']);
    expect(splitByShares('0.05', ['0.5', '0', '1.5'])).toEqual(['0.01', '0.00', '0.04']);
    expect(splitByShares('7', ['3'])).toEqual(['7.00']);
  });

  it('refuses no shares, zero shares and bad decimals', () => {
    expect(() => splitByShares('1', [])).toThrow(RangeError);
    expect(() => splitByShares('1', ['0', '0.00'])).toThrow(RangeError);
    expect(() => splitByShares('1', ['-1', '2'])).toThrow(RangeError);
    expect(() => splitByShares('1', ['1e2'])).toThrow(RangeError);
  });

  it('returns parts that add up exactly to the total, each within a cent of its exact share', () => {
    const share = fc
      .tuple(fc.nat({ max: 1_000_000 }), fc.nat({ max: 3 }))
      .map(([units, scale]) => (scale === 0 ? String(units) : (units / 10 ** scale).toFixed(scale)));
    fc.assert(
      fc.property(
        amountText,
        fc.array(share, { minLength: 1, maxLength: 12 }).filter((xs) => xs.some((x) => Number(x) > 0)),
        ({ text, cents: total }, shares) => {
          const parts = splitByShares(text, shares).map(parseAmount);
          expect(parts.reduce((sum, p) => sum + p, 0n)).toBe(total);
          // exact share of part i = total * w_i / W with weights on a common scale of 10^3
          const weights = shares.map((s) => BigInt(Math.round(Number(s) * 1000)));
          const weightSum = weights.reduce((sum, w) => sum + w, 0n);
          parts.forEach((part, i) => {
            const error = part * weightSum - total * (weights[i] ?? 0n);
            expect(error > -weightSum && error < weightSum).toBe(true);
            if (weights[i] === 0n) expect(part).toBe(0n);
          });
        },
      ),
    );
  });
});

describe('splitGivingEveryShareACent', () => {
  it('gives a share that rounds to nothing a cent, taken from the largest part', () => {
    expect(splitByShares('0.50', ['99999.99', '0.01'])).toEqual(['0.50', '0.00']);
    expect(splitGivingEveryShareACent('0.50', ['99999.99', '0.01'])).toEqual(['0.49', '0.01']);
    expect(splitGivingEveryShareACent('0.05', ['1000', '1', '0', '1'])).toEqual([
      '0.03',
      '0.01',
      '0.00',
      '0.01',
    ]);
  });

  it('splits as splitByShares when no positive share rounds to nothing, or when cents are too few', () => {
    expect(splitGivingEveryShareACent('100.00', ['1', '1', '1'])).toEqual(['33.34', '33.33', '33.33']);
    expect(splitGivingEveryShareACent('0.01', ['1', '1'])).toEqual(splitByShares('0.01', ['1', '1']));
  });

  it('adds up to the total, gives a zero share nothing and every positive share a cent when there are enough', () => {
    const share = fc.oneof(fc.constant('0'), fc.nat({ max: 1_000_000 }).map(String));
    fc.assert(
      fc.property(
        amountText,
        fc.array(share, { minLength: 1, maxLength: 12 }).filter((xs) => xs.some((x) => Number(x) > 0)),
        ({ text, cents: total }, shares) => {
          const parts = splitGivingEveryShareACent(text, shares).map(parseAmount);
          expect(parts.reduce((sum, p) => sum + p, 0n)).toBe(total);
          const positive = shares.filter((x) => Number(x) > 0).length;
          parts.forEach((part, i) => {
            expect(part >= 0n).toBe(true);
            if (Number(shares[i]) === 0) expect(part).toBe(0n);
            else if (BigInt(positive) <= total) expect(part >= 1n).toBe(true);
          });
        },
      ),
    );
  });
});

describe('percentOf', () => {
  it('rounds half-up to the cent', () => {
    expect(percentOf('100.00', '15')).toBe('15.00');
    expect(percentOf('0.10', '5')).toBe('0.01'); // 0.005 rounds up
    expect(percentOf('0.09', '5')).toBe('0.00'); // 0.0045 rounds down
    expect(percentOf('1234.56', '0.5')).toBe('6.17'); // 6.1728
    expect(percentOf('200', '12.345')).toBe('24.69');
    expect(percentOf('999', '0')).toBe('0.00');
  });

  it('refuses a negative or malformed percent', () => {
    expect(() => percentOf('1', '-5')).toThrow(RangeError);
    expect(() => percentOf('1', '5%')).toThrow(RangeError);
  });

  it('matches a rational reference for all amounts and two-decimal percents', () => {
    fc.assert(
      fc.property(cents, fc.nat({ max: 10_000 }), (c, basisPoints) => {
        const percent = (basisPoints / 100).toFixed(2);
        // exact value in cents is c * bp / 10000; half-up means floor(value + 1/2)
        const expected = (c * BigInt(basisPoints) * 2n + 10_000n) / 20_000n;
        expect(percentOf(formatAmount(c), percent)).toBe(formatAmount(expected));
      }),
    );
  });
});

function normalise(text: string): string {
  const [whole, fraction = ''] = text.split('.');
  return `${BigInt(whole ?? '0')}.${fraction.padEnd(2, '0')}`;
}

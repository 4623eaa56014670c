import fc from 'fast-check';
import {
  CityPrices,
  compareCities,
  convertAmount,
  convertFigures,
  distinctRates,
  PriceFigures,
  rateDay,
  UsedRate,
} from './price-comparison';

/**
 * Brute-force reference for amount / rate rounded half-up: schoolbook long division on the decimal digits, each
 * quotient digit found by repeated subtraction, one digit past `scale`; that digit decides the rounding (it is
 * 5 or more exactly when the rest is at least one half).
 */
function longDivision(amount: string, rate: string, scale: number): string {
  const [rateWhole = '', rateFraction = ''] = rate.split('.');
  const divisor = BigInt(rateWhole + rateFraction);
  const [whole = '', fraction = ''] = amount.split('.');
  // Multiply both by 10^(rate's decimals) so the divisor is whole; keep scale + 1 digits after the point.
  const digits = fraction.padEnd(rateFraction.length + scale + 1, '0');
  const dividend = whole + digits;
  let rest = 0n;
  let quotient = '';
  for (const digit of dividend) {
    rest = rest * 10n + BigInt(digit);
    let q = 0;
    while (rest >= divisor) {
      rest -= divisor;
      q += 1;
    }
    quotient += String(q);
  }
  const rounded = BigInt(quotient.slice(0, -1) || '0') + (Number(quotient.slice(-1)) >= 5 ? 1n : 0n);
  const text = rounded.toString().padStart(scale + 1, '0');
  return `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

const decimal = (units: bigint, scale: number): string => {
  if (scale === 0) return units.toString();
  const text = units.toString().padStart(scale + 1, '0');
  return `${text.slice(0, -scale)}.${text.slice(-scale)}`;
};

/** Amounts as price_stats holds them: numeric(20,4) prices, numeric(20,2) totals. */
const price = fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }).map((u) => decimal(u, 4));
const total = fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }).map((u) => decimal(u, 2));
/** Rates as exchange_rates holds them: positive numeric(24,10), sometimes with trailing zeros. */
const rate = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 24n - 1n }), fc.integer({ min: 0, max: 10 }))
  .map(([units, scale]) => decimal(units, scale));

const figures = (values: string[], mean: string, totalValue: string): PriceFigures => {
  const [min = '', q1 = '', median = '', q3 = '', max = ''] = values;
  return { min, q1, median, q3, max, mean, totalValue };
};

const row = (cityId: string, currency: string, median: string): CityPrices => ({
  cityId,
  country: currency === 'KZT' ? 'KZ' : 'RU',
  currency,
  count: 3,
  ...figures(['1.0000', '2.0000', median, median, median], '2.0000', '10.00'),
});

describe('convertAmount', () => {
  it('divides by the rate: one base unit buys `rate` units of the other currency', () => {
    expect(convertAmount('550.0000', 4, '5.5000000000')).toBe('100.0000');
    expect(convertAmount('0.10', 2, '0.0325')).toBe('3.08'); // 3.0769… BYN-priced item in RUB
  });

  it('rounds half-up at the scale of the figure', () => {
    expect(convertAmount('1.0000', 4, '3')).toBe('0.3333');
    expect(convertAmount('2.0000', 4, '3')).toBe('0.6667');
    expect(convertAmount('0.0001', 4, '2')).toBe('0.0001'); // exactly 0.00005
    expect(convertAmount('0.0001', 4, '2.0000000001')).toBe('0.0000');
    expect(convertAmount('0.01', 2, '2')).toBe('0.01');
  });

  it('refuses a zero rate and figures with more decimals than their scale', () => {
    expect(() => convertAmount('1.00', 2, '0.0000000000')).toThrow(RangeError);
    expect(() => convertAmount('1.001', 2, '1')).toThrow(RangeError);
  });

  it('equals long division rounded half-up, for every price and rate', () => {
    fc.assert(
      fc.property(price, rate, (amount, r) => {
        expect(convertAmount(amount, 4, r)).toBe(longDivision(amount, r, 4));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(total, rate, (amount, r) => {
        expect(convertAmount(amount, 2, r)).toBe(longDivision(amount, r, 2));
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves amounts unchanged at a rate of one', () => {
    fc.assert(
      fc.property(price, fc.integer({ min: 0, max: 10 }), (amount, zeros) => {
        expect(convertAmount(amount, 4, decimal(10n ** BigInt(zeros), zeros))).toBe(amount);
      }),
    );
  });
});

describe('convertFigures', () => {
  it('converts a KZT row into RUB, prices to 4 decimals and the total to 2', () => {
    const kzt = figures(['500.0000', '550.0000', '600.0000', '650.0000', '700.0000'], '600.0000', '1200.00');
    expect(convertFigures(kzt, '5.8231')).toEqual({
      min: '85.8649',
      q1: '94.4514',
      median: '103.0379',
      q3: '111.6244',
      max: '120.2109',
      mean: '103.0379',
      totalValue: '206.08',
    });
  });

  it('keeps min ≤ q1 ≤ median ≤ q3 ≤ max and the mean between min and max', () => {
    const sortedPrices = fc
      .array(fc.bigInt({ min: 0n, max: 10n ** 16n }), { minLength: 5, maxLength: 5 })
      .map((xs) => xs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    fc.assert(
      fc.property(sortedPrices, fc.double({ min: 0, max: 1, noNaN: true }), rate, (xs, at, r) => {
        const [min = 0n, , , , max = 0n] = xs;
        const mean = min + BigInt(Math.floor(Number(max - min) * at));
        const converted = convertFigures(
          figures(
            xs.map((x) => decimal(x, 4)),
            decimal(mean > max ? max : mean, 4),
            '0.00',
          ),
          r,
        );
        const n = (s: string) => BigInt(s.replace('.', ''));
        const ordered = [converted.min, converted.q1, converted.median, converted.q3, converted.max].map(n);
        expect([...ordered].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ordered);
        expect(n(converted.mean) >= n(converted.min) && n(converted.mean) <= n(converted.max)).toBe(true);
      }),
    );
  });
});

describe('compareCities', () => {
  const rates: Record<string, UsedRate> = {
    RUB: { base: 'RUB', currency: 'RUB', day: '2026-11-30', rate: '1' },
    KZT: { base: 'RUB', currency: 'KZT', day: '2026-11-28', rate: '5.0000000000' },
  };
  const rateOf = (currency: string) => rates[currency] as UsedRate;

  it('orders by converted median, then city and currency, keeping the original figures and the rate', () => {
    const compared = compareCities(
      [
        row('moscow', 'RUB', '175.0000'),
        row('almaty', 'KZT', '600.0000'), // 120 RUB
        row('kazan', 'RUB', '120.0000'),
        row('kazan', 'KZT', '600.0000'),
      ],
      rateOf,
    );
    expect(compared.map((c) => [c.cityId, c.currency, c.median])).toEqual([
      ['almaty', 'KZT', '120.0000'],
      ['kazan', 'KZT', '120.0000'],
      ['kazan', 'RUB', '120.0000'],
      ['moscow', 'RUB', '175.0000'],
    ]);
    expect(compared[0]).toMatchObject({
      country: 'KZ',
      count: 3,
      min: '0.2000',
      totalValue: '2.00',
      original: { min: '1.0000', median: '600.0000', totalValue: '10.00' },
      rate: rates.KZT,
    });
  });

  it('lists each recorded rate once and no rate for rows already in the base currency', () => {
    const compared = compareCities(
      [row('almaty', 'KZT', '1.0000'), row('astana', 'KZT', '2.0000'), row('kazan', 'RUB', '1.0000')],
      rateOf,
    );
    expect(distinctRates(compared)).toEqual([rates.KZT]);
  });
});

describe('rateDay', () => {
  it('takes the last day of a past month', () => {
    expect(rateDay('2026-10', '2026-11-25')).toBe('2026-10-31');
    expect(rateDay('2024-02', '2026-11-25')).toBe('2024-02-29');
    expect(rateDay('2100-02', '2200-01-01')).toBe('2100-02-28');
    expect(rateDay('2026-04', '2026-11-25')).toBe('2026-04-30');
    expect(rateDay('2025-12', '2026-01-01')).toBe('2025-12-31');
  });

  it('takes today while the month is running', () => {
    expect(rateDay('2026-11', '2026-11-25')).toBe('2026-11-25');
    expect(rateDay('2026-11', '2026-11-30')).toBe('2026-11-30');
  });

  it('refuses what is not a month', () => {
    expect(() => rateDay('2026-13', '2026-11-25')).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { isqrt, PriceSource, referencePrice } from './reference-price';

const source = (unitPrice: string, i = 0): PriceSource => ({ kind: 'offer', id: `o${i}`, unitPrice });

describe('referencePrice', () => {
  it('needs at least three sources', () => {
    expect(referencePrice([source('1'), source('2')])).toMatchObject({ status: 'insufficient', required: 3 });
  });

  it('computes the mean, the sample standard deviation and the coefficient of variation', () => {
    // 90, 100, 110: mean 100, sample σ = 10, CV 10%
    expect(referencePrice([source('90'), source('100'), source('110')])).toMatchObject({
      status: 'comparable',
      count: 3,
      mean: '100.0000',
      stdDev: '10.0000',
      coefficientOfVariation: '10.00',
    });
  });

  it('says when the sources are not comparable (CV above 33%)', () => {
    const result = referencePrice([source('50'), source('100'), source('200')]);
    expect(result).toMatchObject({ status: 'not_comparable', coefficientOfVariation: '65.47' });
  });

  it('judges the 33% limit on the exact CV, not on the rounded one it shows', () => {
    // CV 33.000015%: shown as 33.00, and above the limit.
    const above = referencePrice([source('63151.31', 0), source('47996.02', 1), source('91981.41', 2)]);
    expect(above).toMatchObject({ status: 'not_comparable', coefficientOfVariation: '33.00' });
    // 67, 100, 133: CV exactly 33%, which is not above it.
    const at = referencePrice([source('67', 0), source('100', 1), source('133', 2)]);
    expect(at).toMatchObject({ status: 'comparable', coefficientOfVariation: '33.00' });
  });

  it('agrees with a floating-point computation to within rounding', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 3, maxLength: 20 }),
        (cents) => {
          const prices = cents.map((c) => c / 100);
          const result = referencePrice(prices.map((p, i) => source(p.toFixed(2), i)));
          if (result.status === 'insufficient') throw new Error('expected a result');
          const mean = prices.reduce((a, b) => a + b, 0) / prices.length;
          const sd = Math.sqrt(prices.reduce((a, p) => a + (p - mean) ** 2, 0) / (prices.length - 1));
          expect(Math.abs(Number(result.mean) - mean)).toBeLessThan(1e-4 + mean * 1e-12);
          expect(Math.abs(Number(result.stdDev) - sd)).toBeLessThan(2e-4 + sd * 1e-9);
          expect(Math.abs(Number(result.coefficientOfVariation) - (100 * sd) / mean)).toBeLessThan(0.011);
          const cv = (100 * sd) / mean;
          if (cv > 33.00001) expect(result.status).toBe('not_comparable');
          if (cv < 32.99999) expect(result.status).toBe('comparable');
        },
      ),
    );
  });
});

describe('isqrt', () => {
  it('is the floor of the square root', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), (n) => {
        const r = isqrt(n);
        expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
      }),
    );
  });
});

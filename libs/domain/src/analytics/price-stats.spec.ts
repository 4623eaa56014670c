import fc from 'fast-check';
import { cpvKey, cpvRollupKeys, quantile, summarizePrices, upperFence } from './price-stats';

/**
 * Brute-force type 7 reference, written independently: walk the sorted prices and find the segment
 * [i/(n−1), (i+1)/(n−1)] holding p by cross-multiplication, then interpolate as an exact fraction.
 */
function referenceQuantile(values: bigint[], num: bigint, den: bigint): bigint {
  const sorted: bigint[] = [];
  for (const v of values) {
    let i = 0;
    while (i < sorted.length && (sorted[i] as bigint) <= v) i++;
    sorted.splice(i, 0, v);
  }
  const n = BigInt(sorted.length);
  if (n === 1n) return sorted[0] as bigint;
  for (let i = 0n; i < n - 1n; i++) {
    // i/(n−1) ≤ p ≤ (i+1)/(n−1)  <=>  i·den ≤ p·den·(n−1) ≤ (i+1)·den
    if (i * den <= num * (n - 1n) && num * (n - 1n) <= (i + 1n) * den) {
      const a = sorted[Number(i)] as bigint;
      const b = sorted[Number(i) + 1] as bigint;
      // a + (p(n−1) − i)(b − a) = (a·den + (num(n−1) − i·den)(b − a)) / den, rounded half-up
      const numerator = a * den + (num * (n - 1n) - i * den) * (b - a);
      const q = numerator / den;
      return 2n * (numerator % den) >= den ? q + 1n : q;
    }
  }
  throw new Error('p outside [0, 1]');
}

const prices = fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 40 });
const probability = fc
  .tuple(fc.bigInt({ min: 1n, max: 100n }), fc.bigInt({ min: 0n, max: 100n }))
  .map(([den, num]) => [num > den ? den : num, den] as const);
const sort = (xs: bigint[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const text = (units: bigint, scale: number) =>
  `${units / 10n ** BigInt(scale)}.${String(units % 10n ** BigInt(scale)).padStart(scale, '0')}`;

describe('quantile', () => {
  it('equals the brute-force type 7 reference for any prices and probability', () => {
    fc.assert(
      fc.property(prices, probability, (xs, [num, den]) => {
        expect(quantile(sort(xs), num, den)).toBe(referenceQuantile(xs, num, den));
      }),
    );
  });

  it('matches the textbook examples', () => {
    const xs = [1n, 2n, 3n, 4n];
    expect([quantile(xs, 1n, 4n), quantile(xs, 1n, 2n), quantile(xs, 3n, 4n)]).toEqual([2n, 3n, 3n]);
    // 1.75, 2.5, 3.25 in tenths rounded half-up from (10,20,30,40): 17.5 -> 18, 25, 32.5 -> 33
    const tens = [10n, 20n, 30n, 40n];
    expect([quantile(tens, 1n, 4n), quantile(tens, 1n, 2n), quantile(tens, 3n, 4n)]).toEqual([18n, 25n, 33n]);
  });
});

describe('summarizePrices', () => {
  const item = fc
    .tuple(
      fc.bigInt({ min: 1n, max: 10n ** 10n }),
      fc.bigInt({ min: 1n, max: 10n ** 6n }),
      fc.bigInt({ min: 0n, max: 10n ** 9n }),
    )
    .map(([price, quantity, value]) => ({
      unitPrice: text(price, 4),
      quantity: text(quantity, 3),
      value: text(value, 2),
    }));

  it('orders min ≤ Q1 ≤ median ≤ Q3 ≤ max, sums exactly and ignores the order of the items', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 30 }), (items) => {
        const s = summarizePrices(items);
        const n = (v: string) => BigInt(v.replace('.', ''));
        expect(n(s.min) <= n(s.q1) && n(s.q1) <= n(s.median)).toBe(true);
        expect(n(s.median) <= n(s.q3) && n(s.q3) <= n(s.max)).toBe(true);
        expect(n(s.min) <= n(s.mean) && n(s.mean) <= n(s.max)).toBe(true);
        expect(n(s.totalValue)).toBe(items.reduce((sum, i) => sum + n(i.value), 0n));
        expect(n(s.totalQuantity)).toBe(items.reduce((sum, i) => sum + n(i.quantity), 0n));
        expect(summarizePrices([...items].reverse())).toEqual(s);
      }),
    );
  });

  it('sums money exactly where floats would drift', () => {
    const items = Array.from({ length: 10 }, () => ({ unitPrice: '0.1', quantity: '1', value: '0.10' }));
    expect(summarizePrices(items)).toMatchObject({ totalValue: '1.00', mean: '0.1000', median: '0.1000' });
  });
});

describe('upperFence', () => {
  it('is Q3 + 1.5 IQR', () => {
    expect(upperFence('10.0000', '20.0000')).toBe('35.0000');
    expect(upperFence('1.0001', '1.0002')).toBe('1.0004');
  });
});

describe('cpvRollupKeys', () => {
  it('names the code and each ancestor by its significant digits', () => {
    expect(cpvKey('30190000-7')).toBe('3019');
    expect(cpvKey('30000000-9')).toBe('30');
    expect(cpvRollupKeys('30197630-1')).toEqual(['30', '301', '3019', '30197', '301976', '3019763']);
    expect(cpvRollupKeys('03000000-1')).toEqual(['03']);
  });

  it('puts a code under the key of every ancestor query', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{8}$/), fc.integer({ min: 2, max: 8 }), (digits, n) => {
        const ancestor = `${digits.slice(0, n).padEnd(8, '0')}-0`;
        expect(cpvRollupKeys(`${digits}-0`)).toContain(cpvKey(ancestor));
      }),
    );
  });
});

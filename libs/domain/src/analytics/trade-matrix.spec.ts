import fc from 'fast-check';
import { shareOf, summarizeTrade, TradeCell } from './trade-matrix';

const cell = (
  supplier: [string, string, string],
  contracts: number,
  value: string,
  currency = 'RUB',
): TradeCell => ({
  buyerCityId: 'moscow',
  buyerRegion: 'Moscow',
  buyerCountry: 'RU',
  supplierCityId: supplier[0],
  supplierRegion: supplier[1],
  supplierCountry: supplier[2],
  currency,
  contracts,
  value,
});

describe('summarizeTrade', () => {
  it('counts the buyer city, region and country as nested circles of local suppliers', () => {
    const [moscow] = summarizeTrade([
      cell(['moscow', 'Moscow', 'RU'], 2, '100.00'),
      cell(['zelenograd', 'Moscow', 'RU'], 1, '50.00'),
      cell(['kazan', 'Tatarstan', 'RU'], 1, '0.10'),
      cell(['almaty', 'Almaty', 'KZ'], 1, '49.90'),
    ]);
    expect(moscow).toEqual({
      buyerCityId: 'moscow',
      currency: 'RUB',
      contracts: 5,
      value: '200.00',
      sameCity: { contracts: 2, value: '100.00', valueShare: '0.5000' },
      sameRegion: { contracts: 3, value: '150.00', valueShare: '0.7500' },
      sameCountry: { contracts: 4, value: '150.10', valueShare: '0.7505' },
    });
  });

  it('keeps currencies apart', () => {
    const rows = summarizeTrade([
      cell(['moscow', 'Moscow', 'RU'], 1, '1.00'),
      cell(['a', 'b', 'KZ'], 1, '1.00', 'KZT'),
    ]);
    expect(rows.map((r) => [r.currency, r.sameCity.valueShare])).toEqual([
      ['KZT', '0.0000'],
      ['RUB', '1.0000'],
    ]);
  });
});

describe('shareOf', () => {
  it('rounds half-up exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        (a, b) => {
          const part = a > b ? b : a;
          const share = shareOf(part, b) as string;
          const scaled = BigInt(share.replace('.', ''));
          // |scaled/10^4 − part/b| ≤ 1/2·10^-4  <=>  |2·scaled·b − 2·10^4·part| ≤ b
          const diff = 2n * scaled * b - 20_000n * part;
          expect(diff <= b && -diff < b).toBe(true);
        },
      ),
    );
    expect(shareOf(1n, 0n)).toBeNull();
  });
});

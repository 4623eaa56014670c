import fc from 'fast-check';
import { checkPrice, isIsoCurrency } from './money';

describe('money', () => {
  it('normalises valid prices to two decimals', () => {
    expect(checkPrice('350')).toEqual({ ok: true, amount: '350.00' });
    expect(checkPrice('0350.5')).toEqual({ ok: true, amount: '350.50' });
    expect(checkPrice('1000000000000.00')).toEqual({ ok: true, amount: '1000000000000.00' });
    expect(checkPrice('0.01')).toEqual({ ok: true, amount: '0.01' });
  });

  it('refuses negative, zero, over-precise, absurd and non-decimal prices', () => {
    expect(checkPrice('-1')).toEqual({ ok: false, problem: 'NOT_POSITIVE' });
    expect(checkPrice('0')).toEqual({ ok: false, problem: 'NOT_POSITIVE' });
    expect(checkPrice('1.005')).toEqual({ ok: false, problem: 'TOO_MANY_DECIMALS' });
    expect(checkPrice('1000000000000.01')).toEqual({ ok: false, problem: 'TOO_LARGE' });
    expect(checkPrice('99999999999999999')).toEqual({ ok: false, problem: 'NOT_A_DECIMAL' });
    for (const bad of ['1e3', 'NaN', '', ' ', '1,5', '0x10', 12]) {
      expect(checkPrice(bad)).toEqual({ ok: false, problem: 'NOT_A_DECIMAL' });
    }
  });

  it('allows zero only when asked (a lower price bound)', () => {
    expect(checkPrice('0', { allowZero: true })).toEqual({ ok: true, amount: '0.00' });
  });

  it('keeps every cent of any valid amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000_000_000_000n }), (cents) => {
        const text = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
        expect(checkPrice(text)).toEqual({ ok: true, amount: text });
      }),
    );
  });

  it('knows ISO 4217 currencies of the member countries and refuses others', () => {
    for (const code of ['RUB', 'KZT', 'BYN', 'KGS', 'AMD', 'MDL', 'TJS', 'UZS', 'UAH', 'USD', 'EUR']) {
      expect(isIsoCurrency(code)).toBe(true);
    }
    for (const code of ['RUR', 'rub', 'XXX', 'XAU', 'BTC', '', 'USDT'])
      expect(isIsoCurrency(code)).toBe(false);
  });
});

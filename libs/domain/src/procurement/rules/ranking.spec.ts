import fc from 'fast-check';
import {
  describeRule,
  isLocal,
  rankLot,
  type LocalPreference,
  type Place,
  type RankableBid,
} from './ranking';

const almaty: Place = { cityId: 'kz-almaty', region: 'Almaty', country: 'KZ' };
const astana: Place = { cityId: 'kz-astana', region: 'Astana', country: 'KZ' };
const moscow: Place = { cityId: 'ru-moscow', region: 'Moscow', country: 'RU' };
const yerevan: Place = { cityId: 'am-yerevan', region: 'Yerevan', country: 'AM' };
const tashkent: Place = { cityId: 'uz-tashkent', region: 'Tashkent', country: 'UZ' };

function bid(
  bidId: string,
  price: string,
  supplierPlace: Place,
  at = '2026-03-01T10:00:00Z',
  sequence = 1,
): RankableBid {
  return { bidId, supplierId: `s-${bidId}`, price, submittedAt: new Date(at), sequence, supplierPlace };
}

describe('isLocal', () => {
  it('matches the buyer city by id', () => {
    expect(isLocal(almaty, almaty, 'city')).toBe(true);
    expect(isLocal(astana, almaty, 'city')).toBe(false);
  });

  it('does not count a region of the same name in another country', () => {
    const centralKz: Place = { cityId: 'kz-1', region: 'Central', country: 'KZ' };
    const centralRu: Place = { cityId: 'ru-1', region: 'Central', country: 'RU' };
    expect(isLocal(centralRu, centralKz, 'region')).toBe(false);
    expect(isLocal({ ...centralKz, cityId: 'kz-2' }, centralKz, 'region')).toBe(true);
  });

  it('matches the buyer country', () => {
    expect(isLocal(astana, almaty, 'country')).toBe(true);
    expect(isLocal(moscow, almaty, 'country')).toBe(false);
  });

  it('counts every member state of the EAEU and nothing else', () => {
    expect(isLocal(yerevan, almaty, 'eaeu')).toBe(true);
    expect(isLocal({ ...moscow, country: 'ru' }, almaty, 'eaeu')).toBe(true);
    expect(isLocal(tashkent, almaty, 'eaeu')).toBe(false);
  });
});

describe('rankLot', () => {
  const preference15: LocalPreference = { scope: 'country', percent: '15' };

  it('ranks by lowest price without a preference', () => {
    const ranked = rankLot([bid('b', '110.00', almaty), bid('a', '100.00', moscow)], almaty, null);
    expect(ranked.map((r) => [r.bidId, r.rank, r.evaluatedPrice, r.preferenceApplied])).toEqual([
      ['a', 1, '100.00', false],
      ['b', 2, '110.00', false],
    ]);
  });

  it('lets a 15% preference flip the order but keeps the offered price', () => {
    const ranked = rankLot(
      [bid('foreign', '100.00', moscow), bid('local', '110.00', astana)],
      almaty,
      preference15,
    );
    expect(ranked.map((r) => [r.bidId, r.rank, r.price, r.evaluatedPrice, r.preferenceApplied])).toEqual([
      ['local', 1, '110.00', '93.50', true],
      ['foreign', 2, '100.00', '100.00', false],
    ]);
  });

  it('compares exact evaluated prices, not the rounded ones shown', () => {
    // 100.01 × 0.85 = 85.0085, shown as 85.01 yet below the earlier foreign bid of 85.01
    const ranked = rankLot(
      [
        bid('foreign', '85.01', moscow, '2026-03-01T09:00:00Z'),
        bid('local', '100.01', astana, '2026-03-01T11:00:00Z'),
      ],
      almaty,
      preference15,
    );
    expect(ranked.map((r) => [r.bidId, r.evaluatedPrice])).toEqual([
      ['local', '85.01'],
      ['foreign', '85.01'],
    ]);
  });

  it('gives a tie to the earlier bid, then the lower sequence, then the lower bidId', () => {
    const ranked = rankLot(
      [
        bid('d', '50', moscow, '2026-03-01T10:00:01Z', 1),
        bid('c', '50', moscow, '2026-03-01T10:00:00Z', 7),
        bid('b', '50', moscow, '2026-03-01T10:00:00Z', 3),
        bid('a', '50', moscow, '2026-03-01T10:00:00Z', 7),
      ],
      almaty,
      null,
    );
    expect(ranked.map((r) => r.bidId)).toEqual(['b', 'a', 'c', 'd']);
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
  });

  it('treats a local and a foreign bid with equal evaluated prices as a tie', () => {
    // 100 × 0.8 = 80 exactly
    const ranked = rankLot(
      [
        bid('foreign', '80', tashkent, '2026-03-01T09:00:00Z'),
        bid('local', '100', yerevan, '2026-03-01T08:00:00Z'),
      ],
      almaty,
      { scope: 'eaeu', percent: '20' },
    );
    expect(ranked.map((r) => r.bidId)).toEqual(['local', 'foreign']);
    const later = rankLot(
      [
        bid('foreign', '80', tashkent, '2026-03-01T07:00:00Z'),
        bid('local', '100', yerevan, '2026-03-01T08:00:00Z'),
      ],
      almaty,
      { scope: 'eaeu', percent: '20' },
    );
    expect(later.map((r) => r.bidId)).toEqual(['foreign', 'local']);
  });

  it('applies an EAEU preference to member states only', () => {
    const ranked = rankLot([bid('uz', '95', tashkent), bid('am', '110', yerevan)], almaty, {
      scope: 'eaeu',
      percent: '15',
    });
    expect(ranked.map((r) => [r.bidId, r.evaluatedPrice, r.preferenceApplied])).toEqual([
      ['am', '93.50', true],
      ['uz', '95.00', false],
    ]);
  });

  it('does not mark a zero preference as applied', () => {
    const [only] = rankLot([bid('a', '10', almaty)], almaty, { scope: 'city', percent: '0' });
    expect(only?.preferenceApplied).toBe(false);
    expect(rankLot([], almaty, preference15)).toEqual([]);
  });

  it('refuses a bad percent, a bad price, duplicate ids and invalid tie keys', () => {
    const one = [bid('a', '10', almaty)];
    for (const percent of ['25.01', '26', '-1', '15.005', '1e1', '', '15%']) {
      expect(() => rankLot(one, almaty, { scope: 'city', percent })).toThrow(RangeError);
    }
    expect(() => rankLot([bid('a', '10.001', almaty)], almaty, null)).toThrow(RangeError);
    expect(() => rankLot([bid('a', '1', almaty), bid('a', '2', moscow)], almaty, null)).toThrow(RangeError);
    expect(() => rankLot([bid('a', '1', almaty, 'not a date')], almaty, null)).toThrow(RangeError);
    expect(() => rankLot([{ ...bid('a', '1', almaty), sequence: 1.5 }], almaty, null)).toThrow(RangeError);
  });

  it('equals a brute-force rational reference and ranks 1..n, whatever the input order', () => {
    const place = fc.record({
      cityId: fc.constantFrom('c1', 'c2', 'c3'),
      region: fc.constantFrom('r1', 'r2'),
      country: fc.constantFrom('RU', 'KZ', 'BY', 'AM', 'KG', 'UZ', 'MD'),
    });
    const price = fc
      .tuple(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(0, 1, 2))
      .map(([c, decimals]) => (decimals === 0 ? String(Math.floor(c / 100)) : (c / 100).toFixed(decimals)));
    const percent = fc
      .tuple(fc.integer({ min: 0, max: 2500 }), fc.constantFrom(0, 1, 2))
      .map(([h, decimals]) => (decimals === 0 ? String(Math.floor(h / 100)) : (h / 100).toFixed(decimals)));
    const preference = fc.option(
      fc.record({ scope: fc.constantFrom('city', 'region', 'country', 'eaeu' as const), percent }),
    );
    const bids = fc
      .array(
        fc.record({
          price,
          submittedAt: fc.integer({ min: 0, max: 3 }).map((s) => new Date(Date.UTC(2026, 2, 1, 10, 0, s))),
          sequence: fc.integer({ min: 1, max: 4 }),
          supplierPlace: place,
        }),
        { maxLength: 12 },
      )
      .map((xs) => xs.map((x, i) => ({ ...x, bidId: `bid-${(i * 7) % 13}`, supplierId: `s${i}` })));

    fc.assert(
      fc.property(bids, place, preference, fc.nat(), (xs, buyer, pref, seed) => {
        const ranked = rankLot(xs, buyer, pref);
        const expected = referenceRanking(xs, buyer, pref);
        expect(ranked.map((r) => [r.bidId, r.evaluatedPrice, r.preferenceApplied])).toEqual(expected);
        expect(ranked.map((r) => r.rank)).toEqual(xs.map((_, i) => i + 1));
        expect(rankLot(rotate(xs, seed), buyer, pref).map((r) => r.bidId)).toEqual(
          ranked.map((r) => r.bidId),
        );
      }),
    );
  });
});

describe('describeRule', () => {
  it('states the rule published with the result', () => {
    expect(describeRule(null)).toBe('lowest evaluated price; ties go to the earlier bid');
    expect(describeRule({ scope: 'country', percent: '15' })).toBe(
      "lowest evaluated price; bids from suppliers registered in the buyer's country are evaluated 15% lower " +
        'and paid at their offered price; ties go to the earlier bid',
    );
    expect(describeRule({ scope: 'city', percent: '7.50' })).toContain(
      "in the buyer's city are evaluated 7.5% lower",
    );
    expect(describeRule({ scope: 'eaeu', percent: '0.5' })).toContain('Eurasian Economic Union');
    expect(describeRule({ scope: 'region', percent: '0.00' })).toBe(describeRule(null));
  });

  it('refuses a percent outside 0..25', () => {
    expect(() => describeRule({ scope: 'city', percent: '30' })).toThrow(RangeError);
  });
});

// The reference: each evaluated price as a fraction num/den (in cents), compared by cross-multiplication.
function referenceRanking(xs: RankableBid[], buyer: Place, pref: LocalPreference | null): unknown[] {
  const [pNum, pDen] = pref ? fraction(pref.percent) : [0n, 1n];
  const rows = xs.map((x) => {
    const local =
      pref !== null &&
      pNum > 0n &&
      (pref.scope === 'city'
        ? x.supplierPlace.cityId === buyer.cityId
        : pref.scope === 'region'
          ? x.supplierPlace.region === buyer.region && x.supplierPlace.country === buyer.country
          : pref.scope === 'country'
            ? x.supplierPlace.country === buyer.country
            : ['AM', 'BY', 'KZ', 'KG', 'RU'].includes(x.supplierPlace.country));
    const [priceNum, priceDen] = fraction(x.price);
    // cents × (100 − percent) / 100
    const num = priceNum * 100n * (local ? 100n * pDen - pNum : 100n);
    const den = priceDen * 100n * (local ? pDen : 1n);
    return { x, num, den, local };
  });
  rows.sort((a, b) => {
    const left = a.num * b.den;
    const right = b.num * a.den;
    if (left !== right) return left < right ? -1 : 1;
    if (a.x.submittedAt.getTime() !== b.x.submittedAt.getTime()) {
      return a.x.submittedAt.getTime() - b.x.submittedAt.getTime();
    }
    if (a.x.sequence !== b.x.sequence) return a.x.sequence - b.x.sequence;
    return a.x.bidId < b.x.bidId ? -1 : 1;
  });
  return rows.map(({ x, num, den, local }) => {
    const cents = (2n * num + den) / (2n * den); // half-up
    return [x.bidId, `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`, local];
  });
}

function fraction(decimal: string): [bigint, bigint] {
  const [whole, frac = ''] = decimal.split('.');
  return [BigInt(`${whole}${frac}`), 10n ** BigInt(frac.length)];
}

function rotate<T>(xs: T[], by: number): T[] {
  if (xs.length === 0) return xs;
  const k = by % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)].reverse();
}

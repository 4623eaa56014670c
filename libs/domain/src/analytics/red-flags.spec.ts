import fc from 'fast-check';
import {
  computeRedFlags,
  FlagAward,
  FlagLot,
  identicalPriceGroups,
  isWithinOnePercent,
  lowestBids,
  subjectKey,
  TenderFacts,
} from './red-flags';

const options = { openTenderMinWorkingDays: 7 };

function tender(lots: FlagLot[], overrides: Partial<TenderFacts> = {}): TenderFacts {
  return {
    tenderId: 't1',
    buyerId: 'buyer',
    method: 'open',
    country: 'UA',
    biddingOpenedOn: '2026-03-02',
    tenderEndOn: '2026-03-20',
    lots,
    ...overrides,
  };
}

const bid = (bidId: string, supplierId: string, price: string) => ({ bidId, supplierId, price });
const award = (
  bidId: string,
  supplierId: string,
  status: 'active' | 'unsuccessful' | 'pending',
  amount: string,
) => ({
  awardId: `a-${bidId}`,
  bidId,
  supplierId,
  status,
  amount,
});

const codes = (facts: TenderFacts) => computeRedFlags(facts, options).map((f) => f.code);

describe('computeRedFlags', () => {
  it('raises nothing for a clean competitive tender', () => {
    const lot: FlagLot = {
      lotId: 'l1',
      estimate: '1000.00',
      bids: [bid('b1', 's1', '800.00'), bid('b2', 's2', '850.00')],
      awards: [award('b1', 's1', 'active', '800.00')],
    };
    expect(codes(tender([lot]))).toEqual([]);
  });

  it('flags a single bid in a competitive tender but not in a direct award', () => {
    const lot: FlagLot = { lotId: 'l1', estimate: '1000.00', bids: [bid('b1', 's1', '800.00')], awards: [] };
    const [flag] = computeRedFlags(tender([lot]), options);
    expect(flag).toEqual({
      code: 'SINGLE_BID',
      subject: { tenderId: 't1', buyerId: 'buyer', lotId: 'l1', awardId: null, supplierId: 's1' },
      figures: { bids: 1, method: 'open', price: '800.00', estimate: '1000.00' },
    });
    expect(codes(tender([lot], { method: 'direct' }))).toEqual([]);
  });

  it('flags a submission period shorter than the minimum in working days', () => {
    // Mon 2 March to Fri 6 March 2026: 4 working days after the day bids opened.
    const flags = computeRedFlags(tender([], { tenderEndOn: '2026-03-06' }), options);
    expect(flags).toEqual([
      expect.objectContaining({
        code: 'SHORT_SUBMISSION_PERIOD',
        figures: expect.objectContaining({ workingDays: 4, minimumWorkingDays: 7 }) as unknown,
      }),
    ]);
    expect(codes(tender([], { tenderEndOn: '2026-03-06', method: 'quotation' }))).toEqual([]);
    expect(codes(tender([], { tenderEndOn: '2026-03-06', method: 'auction' }))).toEqual([
      'SHORT_SUBMISSION_PERIOD',
    ]);
  });

  it('flags a winning price within 1% of the estimate', () => {
    const lot: FlagLot = {
      lotId: 'l1',
      estimate: '1000.00',
      bids: [bid('b1', 's1', '990.00'), bid('b2', 's2', '995.00')],
      awards: [award('b1', 's1', 'active', '990.00')],
    };
    const flags = computeRedFlags(tender([lot]), options);
    expect(flags.map((f) => f.code)).toEqual(['PRICE_NEAR_ESTIMATE']);
    expect(flags[0]?.figures).toEqual({ amount: '990.00', estimate: '1000.00', difference: '10.00' });
  });

  it('flags identical prices from different suppliers, all others disqualified and the lowest disqualified', () => {
    const lot: FlagLot = {
      lotId: 'l1',
      estimate: '2000.00',
      bids: [bid('b1', 's1', '700.00'), bid('b2', 's2', '700.00'), bid('b3', 's3', '900.00')],
      awards: [
        award('b1', 's1', 'unsuccessful', '700.00'),
        award('b2', 's2', 'unsuccessful', '700.00'),
        award('b3', 's3', 'active', '900.00'),
      ],
    };
    const flags = computeRedFlags(tender([lot]), options);
    expect(flags.map((f) => f.code)).toEqual([
      'IDENTICAL_PRICES',
      'ALL_BUT_WINNER_DISQUALIFIED',
      'LOWEST_BID_DISQUALIFIED',
    ]);
    expect(flags[0]?.figures).toEqual({ groups: [{ price: '700.00', supplierIds: ['s1', 's2'] }] });
    expect(flags[2]?.figures).toEqual({
      lowestPrice: '700.00',
      disqualifiedBidIds: ['b1', 'b2'],
      winningAmount: '900.00',
    });
  });

  it('takes the lowest bid by the evaluated price: a local bid ranked first and rejected is flagged', () => {
    // A 15% city preference: the local 110.00 is evaluated at 93.50, below the foreign 100.00.
    const local = { ...bid('b1', 's1', '110.00'), evaluatedPrice: '93.50' };
    const lot: FlagLot = {
      lotId: 'l1',
      estimate: '2000.00',
      bids: [local, bid('b2', 's2', '100.00'), bid('b3', 's3', '120.00')],
      awards: [award('b1', 's1', 'unsuccessful', '110.00'), award('b3', 's3', 'active', '120.00')],
    };
    const flags = computeRedFlags(tender([lot]), options);
    expect(flags.map((f) => f.code)).toEqual(['LOWEST_BID_DISQUALIFIED']);
    expect(flags[0]?.subject.supplierId).toBe('s1');
    expect(flags[0]?.figures).toEqual({
      lowestPrice: '110.00',
      lowestEvaluatedPrice: '93.50',
      disqualifiedBidIds: ['b1'],
      winningAmount: '120.00',
    });
  });

  it('flags an award unit price above Q3 + 1.5 IQR of the market, not one at the fence', () => {
    const lot = (amount: string): FlagLot => ({
      lotId: 'l1',
      estimate: '900000.00',
      quantity: '200',
      market: { source: { kind: 'cpv', subject: '3019763' }, count: 8, q1: '100.0000', q3: '200.0000' },
      bids: [bid('b1', 's1', amount), bid('b2', 's2', '999999.00')],
      awards: [award('b1', 's1', 'active', amount)],
    });
    expect(computeRedFlags(tender([lot('80000.00')]), options)).toEqual([
      {
        code: 'PRICE_ABOVE_MARKET',
        subject: { tenderId: 't1', buyerId: 'buyer', lotId: 'l1', awardId: 'a-b1', supplierId: 's1' },
        figures: {
          unitPrice: '400.0000',
          quantity: '200',
          amount: '80000.00',
          q1: '100.0000',
          q3: '200.0000',
          upperFence: '350.0000',
          count: 8,
          kind: 'cpv',
          subject: '3019763',
        },
      },
    ]);
    expect(codes(tender([lot('70000.00')]))).toEqual([]);
    expect(codes(tender([{ ...lot('80000.00'), quantity: null }]))).toEqual([]);
  });

  it('judges a direct purchase, awarded at its estimate without a bid, by the market alone', () => {
    const direct = (amount: string): FlagLot => ({
      lotId: 'l1',
      estimate: amount,
      quantity: '200',
      market: { source: { kind: 'cpv', subject: '3019763' }, count: 8, q1: '100.0000', q3: '200.0000' },
      bids: [],
      awards: [{ awardId: 'a1', bidId: null, supplierId: 's1', status: 'active', amount }],
    });
    expect(codes(tender([direct('30000.00')], { method: 'direct' }))).toEqual([]);
    expect(codes(tender([direct('80000.00')], { method: 'direct' }))).toEqual(['PRICE_ABOVE_MARKET']);
    // The same award in an open tender is also within 1% of its estimate.
    expect(codes(tender([direct('30000.00')]))).toEqual(['PRICE_NEAR_ESTIMATE']);
  });

  it('flags the third direct purchase of one class of goods within the window as possibly split', () => {
    const lot: FlagLot = { lotId: 'l1', estimate: '500.00', bids: [], awards: [] };
    const direct = (siblings: { tenderId: string; value: string }[], method = 'direct') =>
      tender([lot], { method, directSiblings: siblings, cpvClasses: ['3019'], currency: 'RUB' });
    const earlier = [
      { tenderId: 't-b', value: '400.00' },
      { tenderId: 't-a', value: '450.50' },
    ];
    expect(computeRedFlags(direct(earlier), options)).toEqual([
      {
        code: 'SPLIT_DIRECT_PURCHASES',
        subject: { tenderId: 't1', buyerId: 'buyer', lotId: null, awardId: null, supplierId: null },
        figures: {
          purchases: 3,
          windowDays: 30,
          cpvClasses: ['3019'],
          totalValue: '1350.50',
          currency: 'RUB',
          earlierTenderIds: ['t-a', 't-b'],
        },
      },
    ]);
    expect(codes(direct(earlier.slice(0, 1)))).toEqual([]);
    // Only direct purchases are counted: an open tender is its own competition.
    expect(codes(direct(earlier, 'open'))).not.toContain('SPLIT_DIRECT_PURCHASES');
  });

  it('flags an ended auction lot whose participants lowered no price, not one where a price moved', () => {
    const passive: FlagLot = {
      lotId: 'l1',
      estimate: '1000.00',
      bids: [bid('b1', 's1', '800.00'), bid('b2', 's2', '850.00')],
      awards: [award('b1', 's1', 'pending', '800.00')],
    };
    expect(computeRedFlags(tender([passive], { method: 'auction' }), options)).toEqual([
      {
        code: 'AUCTION_WITHOUT_BIDDING',
        subject: { tenderId: 't1', buyerId: 'buyer', lotId: 'l1', awardId: 'a-b1', supplierId: 's1' },
        figures: { participants: 2, auctionPrices: 0, winningAmount: '800.00', estimate: '1000.00' },
      },
    ]);
    const priced = {
      ...passive,
      bids: [{ ...bid('b1', 's1', '790.00'), auctionPriced: true }, passive.bids[1]!],
    };
    expect(codes(tender([priced], { method: 'auction' }))).toEqual([]);
    // Not before the auction ends (no award yet), not for one participant, not for an open tender.
    expect(codes(tender([{ ...passive, awards: [] }], { method: 'auction' }))).toEqual([]);
    expect(codes(tender([passive]))).toEqual([]);
    const alone = { ...passive, bids: [passive.bids[0]!] };
    expect(codes(tender([alone], { method: 'auction' }))).toEqual(['SINGLE_BID']);
  });

  it('gives each flag of a tender a distinct (code, subject) so recomputation is idempotent', () => {
    const price = fc
      .integer({ min: 1, max: 5000 })
      .map((c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`);
    const lotArb = fc.record({
      lotId: fc.uuid(),
      estimate: price,
      bids: fc.array(fc.record({ bidId: fc.uuid(), supplierId: fc.constantFrom('s1', 's2', 's3'), price }), {
        maxLength: 5,
      }),
      awards: fc.constant<FlagAward[]>([]),
    });
    fc.assert(
      fc.property(fc.uniqueArray(lotArb, { selector: (l) => l.lotId, maxLength: 4 }), (lots) => {
        const facts = tender(lots);
        const flags = computeRedFlags(facts, options);
        const keys = flags.map((f) => `${f.code}|${subjectKey(f.subject)}`);
        expect(new Set(keys).size).toBe(keys.length);
        expect(computeRedFlags(facts, options)).toEqual(flags);
      }),
    );
  });
});

describe('isWithinOnePercent', () => {
  it('agrees with a rational comparison for all amounts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (a, e) => {
          const text = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
          expect(isWithinOnePercent(text(a), text(e))).toBe(Math.abs(a - e) * 100 <= e);
        },
      ),
    );
  });
});

describe('identicalPriceGroups', () => {
  it('ignores one supplier repeating its own price and compares prices exactly', () => {
    expect(identicalPriceGroups([bid('b1', 's1', '5.0'), bid('b2', 's1', '5.00')])).toEqual([]);
    expect(identicalPriceGroups([bid('b1', 's1', '5.0'), bid('b2', 's2', '5.00')])).toEqual([
      { price: '5.00', supplierIds: ['s1', 's2'] },
    ]);
  });
});

describe('lowestBids', () => {
  it('returns every bid tied at the lowest price', () => {
    expect(
      lowestBids([bid('b1', 's1', '2.00'), bid('b2', 's2', '1.00'), bid('b3', 's3', '1')]).map(
        (b) => b.bidId,
      ),
    ).toEqual(['b2', 'b3']);
  });
});

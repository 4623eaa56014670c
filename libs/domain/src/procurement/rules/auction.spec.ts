import fc from 'fast-check';
import { auctionStep, checkAuctionBid, isValidStepPercent, type AuctionStanding } from './auction';
import { formatAmount, parseAmount } from './money';

const lot = { estimate: '100000.00', stepPercent: '1', preferencePercent: '0' };

describe('auctionStep', () => {
  it('is the percent of the estimate, half-up to the cent, and at least a cent', () => {
    expect(auctionStep('100000.00', '1')).toBe('1000.00');
    expect(auctionStep('333.33', '0.5')).toBe('1.67'); // 1.66665
    expect(auctionStep('1.00', '0.5')).toBe('0.01'); // 0.005 rounds half-up
    expect(auctionStep('0.01', '0.5')).toBe('0.01');
  });
});

describe('isValidStepPercent', () => {
  it('takes 0.5 to 5 with at most two decimals', () => {
    expect(['0.5', '0.50', '1', '2.75', '5', '5.00'].every(isValidStepPercent)).toBe(true);
    expect(['0.49', '5.01', '0', '-1', '1.005', 'abc', ''].some(isValidStepPercent)).toBe(false);
  });
});

describe('checkAuctionBid', () => {
  const a: AuctionStanding = { price: '95000.00', local: false };
  const b: AuctionStanding = { price: '97000.00', local: false };

  it('lets the leader go lower by at least the step', () => {
    const verdict = checkAuctionBid({ ...lot, own: a, standings: [a, b], price: '94000.00' });
    expect(verdict).toEqual({ ok: true, evaluatedPrice: '94000.00', leads: true });
  });

  it('refuses a lead by less than the step, naming the highest price that would lead', () => {
    expect(checkAuctionBid({ ...lot, own: b, standings: [a, b], price: '94000.01' })).toEqual({
      ok: false,
      code: 'AUCTION_STEP_TOO_SMALL',
      step: '1000.00',
      lowestEvaluatedPrice: '95000.00',
      maximumPrice: '94000.00',
    });
    // Equal to the lowest is taking the lead too: it needs the step.
    expect(checkAuctionBid({ ...lot, own: b, standings: [a, b], price: '95000.00' })).toMatchObject({
      code: 'AUCTION_STEP_TOO_SMALL',
    });
  });

  it('lets a follower improve its place above the lowest without a step', () => {
    expect(checkAuctionBid({ ...lot, own: b, standings: [a, b], price: '96999.99' })).toEqual({
      ok: true,
      evaluatedPrice: '96999.99',
      leads: false,
    });
  });

  it('refuses a price that is not below the bidder own', () => {
    expect(checkAuctionBid({ ...lot, own: b, standings: [a, b], price: '97000.00' })).toEqual({
      ok: false,
      code: 'AUCTION_PRICE_NOT_LOWER',
      ownPrice: '97000.00',
    });
  });

  it('compares evaluated prices when a preference applies', () => {
    const local: AuctionStanding = { price: '100000.00', local: true }; // evaluated 85,000 at 15%
    const input = { ...lot, preferencePercent: '15', standings: [local, a] };
    // a (95,000) must go to 84,000 to lead the local bid evaluated at 85,000.
    expect(checkAuctionBid({ ...input, own: a, price: '84000.01' })).toMatchObject({
      code: 'AUCTION_STEP_TOO_SMALL',
      lowestEvaluatedPrice: '85000.00',
      maximumPrice: '84000.00',
    });
    // The local bid leads; its own step is on its evaluated price: 85,000 - 1,000 = 84,000 = 98,823.52 x 0.85.
    expect(checkAuctionBid({ ...input, own: local, price: '98823.53' })).toMatchObject({
      code: 'AUCTION_STEP_TOO_SMALL',
      maximumPrice: '98823.52',
    });
    expect(checkAuctionBid({ ...input, own: local, price: '98823.52' })).toMatchObject({
      ok: true,
      leads: true,
      evaluatedPrice: '83999.99', // 83,999.992 rounded
    });
  });

  it('says when no price above zero can lead', () => {
    const tiny: AuctionStanding = { price: '500.00', local: false };
    expect(checkAuctionBid({ ...lot, own: b, standings: [tiny, b], price: '400.00' })).toMatchObject({
      code: 'AUCTION_STEP_TOO_SMALL',
      maximumPrice: null,
    });
  });

  it('accepts exactly the prices that are lower than the own and lead by the step or stay above the lowest', () => {
    const cents = fc.bigInt({ min: 1n, max: 20_000_000n });
    fc.assert(
      fc.property(cents, cents, cents, fc.boolean(), (ownCents, otherCents, priceCents, ownLocal) => {
        const own = { price: formatAmount(ownCents), local: ownLocal };
        const other = { price: formatAmount(otherCents), local: !ownLocal };
        const price = formatAmount(priceCents);
        const input = { ...lot, preferencePercent: '10', own, standings: [own, other], price };
        const verdict = checkAuctionBid(input);
        // The reference, in floating point with a margin far below a cent.
        const evaluated = (s: AuctionStanding) => Number(parseAmount(s.price)) * (s.local ? 0.9 : 1);
        const proposed = Number(priceCents) * (ownLocal ? 0.9 : 1);
        const lowest = Math.min(evaluated(own), evaluated(other));
        if (priceCents >= ownCents) return expect(verdict.ok).toBe(false);
        const expected = proposed > lowest + 1e-6 || proposed <= lowest - 100_000 + 1e-6;
        expect(verdict.ok).toBe(expected);
      }),
    );
  });
});

import { sealedFactsVisible } from './sealed-facts';

describe('sealedFactsVisible', () => {
  const closedAt = new Date('2026-01-10T10:00:00Z');

  it('keeps the seal while the tender is a draft, in enquiries or in tendering', () => {
    for (const status of ['draft', 'active.enquiries', 'active.tendering']) {
      expect(sealedFactsVisible({ status, closedAt: null })).toBe(false);
      expect(sealedFactsVisible({ status, closedAt })).toBe(false);
    }
  });

  it('lifts it once the tender has been closed and its bids opened', () => {
    for (const status of [
      'active.qualification',
      'active.awarded',
      'complete',
      'unsuccessful',
      'cancelled',
    ]) {
      expect(sealedFactsVisible({ status, closedAt })).toBe(true);
    }
  });

  it('never lifts it for a tender cancelled before its deadline', () => {
    expect(sealedFactsVisible({ status: 'cancelled', closedAt: null })).toBe(false);
  });
});

import fc from 'fast-check';
import {
  InvalidTransitionError,
  TENDER_ACTIONS,
  TENDER_STATUSES,
  allowedActions,
  canDo,
  isTerminal,
  nextStatus,
  type TenderAction,
  type TenderStatus,
  type TransitionOutcome,
} from './tender-state';

// Every allowed (status, action) pair; the rest must be refused.
const ALLOWED: Record<TenderStatus, TenderAction[]> = {
  draft: ['publish', 'report'],
  'active.enquiries': ['startTendering', 'amend', 'ask', 'answer', 'cancel'],
  'active.tendering': ['amend', 'ask', 'answer', 'bid', 'close', 'cancel', 'fail'],
  'active.auction': ['auctionBid', 'finishAuction', 'cancel', 'fail'],
  'active.qualification': ['decideAward', 'cancel', 'fail'],
  'active.awarded': ['signContract', 'cancel', 'complete'],
  complete: [],
  cancelled: [],
  unsuccessful: [],
};

describe('allowedActions', () => {
  it.each(TENDER_STATUSES.map((status) => [status]))('lists what %s allows', (status) => {
    expect([...allowedActions(status)].sort()).toEqual([...ALLOWED[status]].sort());
  });
});

describe('canDo', () => {
  it('agrees with allowedActions on every pair', () => {
    for (const status of TENDER_STATUSES) {
      for (const action of TENDER_ACTIONS) {
        expect(canDo(status, action)).toBe(ALLOWED[status].includes(action));
      }
    }
  });

  it('finds nothing for names inherited from Object.prototype', () => {
    expect(canDo('draft', 'constructor' as TenderAction)).toBe(false);
    expect(canDo('toString' as TenderStatus, 'publish')).toBe(false);
  });
});

describe('nextStatus', () => {
  const cases: [TenderStatus, TenderAction, TransitionOutcome, TenderStatus][] = [
    ['draft', 'publish', { hasEnquiryPeriod: true }, 'active.enquiries'],
    ['draft', 'publish', {}, 'active.tendering'],
    ['draft', 'report', {}, 'active.awarded'],
    ['active.enquiries', 'startTendering', {}, 'active.tendering'],
    ['active.enquiries', 'ask', {}, 'active.enquiries'],
    ['active.enquiries', 'answer', {}, 'active.enquiries'],
    ['active.enquiries', 'amend', {}, 'active.enquiries'],
    ['active.enquiries', 'cancel', {}, 'cancelled'],
    ['active.tendering', 'bid', {}, 'active.tendering'],
    ['active.tendering', 'ask', {}, 'active.tendering'],
    ['active.tendering', 'amend', {}, 'active.tendering'],
    ['active.tendering', 'close', { anyLotAwarded: true }, 'active.qualification'],
    ['active.tendering', 'close', { anyLotAwarded: false }, 'unsuccessful'],
    ['active.tendering', 'close', { anyLotAwarded: true, auction: true }, 'active.auction'],
    ['active.tendering', 'close', { anyLotAwarded: false, auction: true }, 'unsuccessful'],
    ['active.auction', 'auctionBid', {}, 'active.auction'],
    ['active.auction', 'finishAuction', { anyLotAwarded: true }, 'active.qualification'],
    ['active.auction', 'finishAuction', { anyLotAwarded: false }, 'unsuccessful'],
    ['active.auction', 'cancel', {}, 'cancelled'],
    ['active.auction', 'fail', {}, 'unsuccessful'],
    ['active.tendering', 'fail', {}, 'unsuccessful'],
    ['active.tendering', 'cancel', {}, 'cancelled'],
    ['active.qualification', 'decideAward', { anyLotAwarded: true }, 'active.qualification'],
    ['active.qualification', 'decideAward', { allLotsDecided: true, anyLotAwarded: true }, 'active.awarded'],
    ['active.qualification', 'decideAward', { allLotsDecided: true, anyLotAwarded: false }, 'unsuccessful'],
    ['active.qualification', 'fail', {}, 'unsuccessful'],
    ['active.qualification', 'cancel', {}, 'cancelled'],
    ['active.awarded', 'signContract', {}, 'active.awarded'],
    ['active.awarded', 'signContract', { allLotsDecided: true, anyLotAwarded: true }, 'complete'],
    ['active.awarded', 'signContract', { allLotsDecided: true }, 'unsuccessful'],
    ['active.awarded', 'complete', {}, 'complete'],
    ['active.awarded', 'cancel', {}, 'cancelled'],
  ];

  it.each(cases)('takes %s through %s (%j) to %s', (from, action, outcome, expected) => {
    expect(nextStatus(from, action, outcome)).toBe(expected);
  });

  it('defaults every outcome flag to false', () => {
    expect(nextStatus('draft', 'publish')).toBe('active.tendering');
    expect(nextStatus('active.tendering', 'close')).toBe('unsuccessful');
    expect(nextStatus('active.qualification', 'decideAward')).toBe('active.qualification');
  });

  it('throws InvalidTransitionError naming the status and the action', () => {
    const refusals: [TenderStatus, TenderAction][] = [
      ['draft', 'cancel'],
      ['draft', 'bid'],
      ['active.enquiries', 'bid'],
      ['active.enquiries', 'close'],
      ['active.tendering', 'decideAward'],
      ['active.tendering', 'auctionBid'],
      ['active.auction', 'bid'],
      ['active.auction', 'amend'],
      ['active.auction', 'decideAward'],
      ['active.qualification', 'bid'],
      ['active.awarded', 'amend'],
      ['complete', 'cancel'],
      ['cancelled', 'publish'],
      ['unsuccessful', 'decideAward'],
    ];
    for (const [from, action] of refusals) {
      let caught: unknown;
      try {
        nextStatus(from, action, { anyLotAwarded: true, allLotsDecided: true, hasEnquiryPeriod: true });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidTransitionError);
      expect(caught).toBeInstanceOf(Error);
      expect(caught).toMatchObject({ from, action, code: 'TENDER_INVALID_TRANSITION' });
    }
  });
});

describe('isTerminal', () => {
  it('is true for complete, cancelled and unsuccessful only', () => {
    expect(TENDER_STATUSES.filter(isTerminal)).toEqual(['complete', 'cancelled', 'unsuccessful']);
  });
});

describe('tender lifecycle', () => {
  it('stays inside the machine for any sequence of allowed actions', () => {
    const outcome = fc.record({
      anyLotAwarded: fc.boolean(),
      allLotsDecided: fc.boolean(),
      hasEnquiryPeriod: fc.boolean(),
      auction: fc.boolean(),
    });
    const step = fc.tuple(fc.constantFrom(...TENDER_ACTIONS), outcome);
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let status: TenderStatus = 'draft';
        let qualified = false;
        for (const [action, o] of steps) {
          if (!canDo(status, action)) {
            expect(() => nextStatus(status, action, o)).toThrow(InvalidTransitionError);
            continue;
          }
          const next = nextStatus(status, action, o);
          expect(TENDER_STATUSES).toContain(next);
          expect(isTerminal(status)).toBe(false); // a terminal status allows nothing
          // Only a direct purchase's report reaches active.awarded without qualification.
          if (next === 'active.awarded') expect(qualified || action === 'report').toBe(true);
          if (next === 'active.qualification' || action === 'report') qualified = true;
          if (next === 'draft') expect(status).toBe('draft');
          // An auction runs only after the deadline's opening.
          if (next === 'active.auction') expect(['active.tendering', 'active.auction']).toContain(status);
          status = next;
        }
        if (isTerminal(status)) expect(allowedActions(status)).toEqual([]);
      }),
    );
  });
});

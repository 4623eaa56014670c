/**
 * The tender lifecycle as a pure state machine. Services ask canDo() before acting and nextStatus() for the
 * status to write (with a conditional UPDATE on the old status); the machine itself keeps no state.
 *
 *   draft -> active.enquiries -> active.tendering -> [active.auction] -> active.qualification -> active.awarded
 *     -> complete (active.auction: an electronic auction, between its opening at the deadline and its end)
 *   draft -> active.awarded (report: a direct purchase, awarded without competition as it is published)
 *   any active.* -> cancelled;  active.tendering | active.auction | active.qualification | active.awarded
 *   -> unsuccessful
 *   (awarded: its awarded lots were cancelled, and no contract was ever signed)
 */

export const TENDER_STATUSES = [
  'draft',
  'active.enquiries',
  'active.tendering',
  'active.auction',
  'active.qualification',
  'active.awarded',
  'complete',
  'cancelled',
  'unsuccessful',
] as const;
export type TenderStatus = (typeof TENDER_STATUSES)[number];

export const TENDER_ACTIONS = [
  'publish',
  'report',
  'startTendering',
  'amend',
  'ask',
  'answer',
  'bid',
  'close',
  'auctionBid',
  'finishAuction',
  'decideAward',
  'signContract',
  'cancel',
  'complete',
  'fail',
] as const;
export type TenderAction = (typeof TENDER_ACTIONS)[number];

/** What the caller knows when the next status depends on it; every flag defaults to false. */
export interface TransitionOutcome {
  /** publish: the tender has an enquiry period before tendering */
  hasEnquiryPeriod?: boolean;
  /** close: the tender is an electronic auction, whose lots with enough bids go to the live auction */
  auction?: boolean;
  /**
   * close, finishAuction, decideAward: at least one lot has a pending or accepted award; signContract: at least one lot is
   * complete (its contracts signed)
   */
  anyLotAwarded?: boolean;
  /** decideAward: every lot's award is decided; signContract: every lot's contract is signed */
  allLotsDecided?: boolean;
}

export class InvalidTransitionError extends Error {
  readonly code = 'TENDER_INVALID_TRANSITION';

  constructor(
    readonly from: TenderStatus,
    readonly action: TenderAction,
  ) {
    super(`a tender in status ${from} does not allow ${action}`);
    this.name = 'InvalidTransitionError';
  }
}

type Transition = (outcome: TransitionOutcome) => TenderStatus;

const to =
  (status: TenderStatus): Transition =>
  () =>
    status;

// Invariant: active.auction is reachable only from active.tendering, at the deadline of an electronic auction.
// Invariant: active.awarded is reachable only from active.qualification, or from a draft by the report of a direct
// purchase (awarded without competition); terminal statuses have no way out.
const TRANSITIONS: Record<TenderStatus, Partial<Record<TenderAction, Transition>>> = {
  // A draft is deleted rather than cancelled: it was never public.
  draft: {
    publish: (o) => (o.hasEnquiryPeriod ? 'active.enquiries' : 'active.tendering'),
    report: to('active.awarded'),
  },
  'active.enquiries': {
    startTendering: to('active.tendering'),
    amend: to('active.enquiries'),
    ask: to('active.enquiries'),
    answer: to('active.enquiries'),
    cancel: to('cancelled'),
  },
  'active.tendering': {
    amend: to('active.tendering'),
    ask: to('active.tendering'),
    answer: to('active.tendering'),
    bid: to('active.tendering'),
    // At the deadline: too few bids leave no pending award (no lot to auction), and the tender fails.
    close: (o) => (!o.anyLotAwarded ? 'unsuccessful' : o.auction ? 'active.auction' : 'active.qualification'),
    cancel: to('cancelled'),
    fail: to('unsuccessful'),
  },
  // Only the suppliers whose first bids were opened in a lot bid in its auction; at its end the lots are ranked on
  // the final prices and the best bid of each gets a pending award.
  'active.auction': {
    auctionBid: to('active.auction'),
    finishAuction: (o) => (o.anyLotAwarded ? 'active.qualification' : 'unsuccessful'),
    cancel: to('cancelled'),
    fail: to('unsuccessful'),
  },
  'active.qualification': {
    decideAward: (o) =>
      !o.allLotsDecided ? 'active.qualification' : o.anyLotAwarded ? 'active.awarded' : 'unsuccessful',
    cancel: to('cancelled'),
    fail: to('unsuccessful'),
  },
  'active.awarded': {
    // Every lot decided: complete when one has its contracts, unsuccessful when the awarded ones were cancelled.
    signContract: (o) =>
      !o.allLotsDecided ? 'active.awarded' : o.anyLotAwarded ? 'complete' : 'unsuccessful',
    complete: to('complete'),
    cancel: to('cancelled'),
  },
  complete: {},
  cancelled: {},
  unsuccessful: {},
};

export function allowedActions(status: TenderStatus): TenderAction[] {
  return TENDER_ACTIONS.filter((action) => transitionFor(status, action) !== undefined);
}

export function canDo(status: TenderStatus, action: TenderAction): boolean {
  return transitionFor(status, action) !== undefined;
}

/** The status after the action; throws InvalidTransitionError when the status does not allow it. */
export function nextStatus(
  status: TenderStatus,
  action: TenderAction,
  outcome: TransitionOutcome = {},
): TenderStatus {
  const transition = transitionFor(status, action);
  if (!transition) throw new InvalidTransitionError(status, action);
  return transition(outcome);
}

export function isTerminal(status: TenderStatus): boolean {
  return status === 'complete' || status === 'cancelled' || status === 'unsuccessful';
}

// Statuses and actions may come from storage or requests at run time: look up own keys only, so a string like
// "constructor" never finds Object.prototype.
function transitionFor(status: TenderStatus, action: TenderAction): Transition | undefined {
  if (!Object.hasOwn(TRANSITIONS, status)) return undefined;
  const transitions = TRANSITIONS[status];
  return Object.hasOwn(transitions, action) ? transitions[action] : undefined;
}

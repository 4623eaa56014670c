/** Statuses in which the bids of a tender are still sealed. */
const SEALED_STATUSES: readonly string[] = [
  'draft',
  'active.enquiries',
  'active.tendering',
  // An electronic auction's bids are opened at its end, not at its deadline.
  'active.auction',
];

/**
 * Whether the facts an event keeps back until opening (who placed a sealed bid) may be shown.
 * Invariant: never before the tender has been closed and its bids opened, to anyone, auditors included;
 * a tender cancelled before its deadline never opens its bids, so their facts stay sealed for good.
 */
export function sealedFactsVisible(tender: { status: string; closedAt: Date | null }): boolean {
  return tender.closedAt !== null && !SEALED_STATUSES.includes(tender.status);
}

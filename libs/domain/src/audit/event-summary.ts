type Payload = Record<string, unknown>;

/** A scalar of the payload as text; anything else (missing, an object) as an empty string. */
function text(payload: Payload, key: string): string {
  const value = payload[key];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

function object(payload: Payload, key: string): Payload {
  const value = payload[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : {};
}

function published(p: Payload): string {
  const tender = object(p, 'tender');
  const value = object(tender, 'value');
  const lots = Array.isArray(tender.lots) ? tender.lots.length : 0;
  const summary = `Published ${text(tender, 'number')}: ${text(tender, 'title')}; ${lots} lot(s), value ${text(value, 'amount')} ${text(value, 'currency')}`;
  const direct = object(tender, 'directAward');
  if (text(tender, 'method') === 'direct') {
    return `${summary}; direct purchase from supplier ${text(direct, 'supplierId')} (${text(direct, 'reason')})`;
  }
  if (text(tender, 'method') === 'auction') {
    return `${summary}; electronic auction, step ${text(object(tender, 'auction'), 'stepPercent')}%`;
  }
  return text(tender, 'method') === 'quotation' ? `${summary}; quotation session` : summary;
}

function closed(p: Payload): string {
  const lots = Array.isArray(p.lots) ? (p.lots as Payload[]) : [];
  const perLot = lots.map(
    (l) => `lot ${text(l, 'lotId')} ${text(l, 'status')} with ${text(l, 'bids')} bid(s)`,
  );
  return [`Closed: ${text(p, 'status')}`, text(p, 'rule'), ...perLot].filter(Boolean).join('; ');
}

const SUMMARIES: Record<string, (p: Payload) => string> = {
  'tender.published': published,
  'tender.amended': (p) =>
    `Amendment ${text(p, 'number')}${p.termsChanged === true ? ' (terms changed)' : ''}: ${text(p, 'rationale')}`,
  'tender.tendering': (p) =>
    `Tendering started: bids accepted until ${text(object(p, 'tenderPeriod'), 'endDate')}`,
  'tender.cancelled': (p) => `Tender cancelled: ${text(p, 'reason')}`,
  'tender.closed': closed,
  'auction.started': (p) =>
    `Auction started: step ${text(p, 'stepPercent')}%, ends ${text(object(p, 'auctionPeriod'), 'endDate')} unless a lead moves it`,
  'auction.bid': (p) =>
    `Auction price ${text(p, 'price')} (evaluated ${text(p, 'evaluatedPrice')}${p.leads === true ? ', leading' : ''}) on lot ${text(p, 'lotId')} by participant ${text(p, 'participant')}, was ${text(p, 'previousPrice')}; ends ${text(p, 'auctionEnd')}`,
  'lot.cancelled': (p) => `Lot ${text(p, 'lotId')} cancelled: ${text(p, 'reason')}`,
  'lot.unsuccessful': (p) => `Lot ${text(p, 'lotId')} unsuccessful: ${text(p, 'reason')}`,
  'lot.completed': (p) => `Lot ${text(p, 'lotId')} complete: every contract of it signed`,
  'question.asked': (p) => `Question ${text(p, 'questionId')}: ${text(p, 'text')}`,
  'question.answered': (p) => `Answer to ${text(p, 'questionId')}: ${text(p, 'answer')}`,
  'bid.submitted': (p) => `Sealed bid submitted, commitment ${text(p, 'commitment')}`,
  'bid.changed': (p) => `Sealed bid changed, commitment ${text(p, 'commitment')}`,
  'bid.confirmed': (p) =>
    `Sealed bid confirmed, commitment ${text(p, 'commitment')}` +
    (text(p, 'amendment') ? `, under the terms of amendment ${text(p, 'amendment')}` : ''),
  'bid.withdrawn': (p) => `Sealed bid withdrawn, commitment ${text(p, 'commitment')}`,
  'bid.opened': (p) =>
    `Bid ${text(p, 'bidId')} opened (${text(p, 'status')}) by supplier ${text(p, 'supplierId')}, commitment ${text(p, 'commitment')}`,
  'award.pending': (p) =>
    `Award ${text(p, 'awardId')} pending: lot ${text(p, 'lotId')} to supplier ${text(p, 'supplierId')} at ${text(p, 'amount')}`,
  'award.direct': (p) =>
    `Award ${text(p, 'awardId')} made without competition (direct purchase): lot ${text(p, 'lotId')} to supplier ${text(p, 'supplierId')} at ${text(p, 'amount')}`,
  'award.accepted': (p) =>
    `Award ${text(p, 'awardId')} accepted${p.automatic === true ? ' automatically (lowest price of a quotation session)' : ''}: lot ${text(p, 'lotId')}` +
    (text(p, 'standstillEnd') ? `, stand-still until ${text(p, 'standstillEnd')}` : ''),
  'award.rejected': (p) => `Award ${text(p, 'awardId')} rejected: ${text(p, 'reason')}`,
  'award.declined': (p) => `Award ${text(p, 'awardId')} declined by its winner: ${text(p, 'reason')}`,
  'contract.created': (p) =>
    `Contract ${text(p, 'contractId')} created for buyer ${text(p, 'buyerId')} at ${text(p, 'amount')}`,
  'contract.signed': (p) => `Contract ${text(p, 'contractId')} signed by the ${text(p, 'by')}`,
  'contract.cancelled': (p) => `Contract ${text(p, 'contractId')} cancelled: ${text(p, 'reason')}`,
  'complaint.filed': (p) =>
    `Complaint ${text(p, 'complaintId')} about award ${text(p, 'awardId')} by supplier ${text(p, 'complainantId')}: ${text(p, 'text')}`,
  'complaint.closed': (p) => `Complaint ${text(p, 'complaintId')} closed: ${text(p, 'reason')}`,
  'complaint.decided': (p) =>
    `Complaint ${text(p, 'complaintId')} ${text(p, 'decision')}: ${text(p, 'reason')}`,
};

/**
 * One line saying what a deal event did, for the dossier's CSV.
 * Every summary starts with a fixed word, so user text never opens a cell (no spreadsheet formula injection).
 */
export function summarizeEvent(type: string, payload: Payload): string {
  const summary = SUMMARIES[type];
  return summary ? summary(payload) : `Event ${type}`;
}

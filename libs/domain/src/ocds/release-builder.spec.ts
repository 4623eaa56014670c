import { cpvCategory, mainProcurementCategory, ocdsTenderStatus, toOcdsNumber } from './ocds-codes';
import type { OcdsRelease } from './ocds-release';
import type { OcdsEvent } from './process-state';
import { pruneEmpty } from './prune';
import { buildReleases, type OcdsReferences } from './release-builder';

const OCID = 'ocds-mtp001-MTP-2026-000007';
const BUYER = '00000000-0000-4000-8000-0000000000b1';
const JOINT = '00000000-0000-4000-8000-0000000000b2';
const CHEAP = '00000000-0000-4000-8000-0000000000s1';
const DEAR = '00000000-0000-4000-8000-0000000000s2';
const LATE = '00000000-0000-4000-8000-0000000000s3';
const LOT = '00000000-0000-4000-8000-00000000001a';
const BID_CHEAP = '00000000-0000-4000-8000-0000000000c1';
const BID_DEAR = '00000000-0000-4000-8000-0000000000c2';
const BID_LATE = '00000000-0000-4000-8000-0000000000c3';

const tenderView = {
  id: '00000000-0000-4000-8000-000000000007',
  number: 'MTP-2026-000007',
  ocid: OCID,
  title: 'Office paper',
  description: '',
  status: 'active.tendering',
  method: 'open',
  currency: 'RUB',
  awardCriteria: 'lowestPrice',
  localPreference: { scope: 'city', percent: '15.00' },
  organizerId: BUYER,
  buyers: [
    { id: BUYER, legalName: 'Moscow schools' },
    { id: JOINT, legalName: 'Kazan schools' },
  ],
  tenderPeriod: { startDate: '2026-03-01T10:00:00.000Z', endDate: '2026-03-10T10:00:00.000Z' },
  clarificationsUntil: '2026-03-09T10:00:00.000Z',
  lots: [
    {
      id: LOT,
      number: 1,
      title: 'Paper A4',
      status: 'active',
      estimate: '100000.00',
      items: [
        {
          id: 'item-1',
          description: 'A4 paper, 500 sheets',
          classification: { scheme: 'CPV', id: '30197630-1' },
          unitCode: 'XPK',
          quantity: '200.000',
          quantities: [
            { buyerId: BUYER, quantity: '150.000' },
            { buyerId: JOINT, quantity: '50.000' },
          ],
        },
      ],
    },
  ],
  publishedAt: '2026-03-01T10:00:00.000Z',
};

let nextId = 100;
function event(txid: number, type: string, at: string, payload: Record<string, unknown> = {}): OcdsEvent {
  nextId += 1;
  return { id: String(nextId), txid: String(txid), type, occurredAt: `2026-03-${at}Z`, payload };
}

const refs: OcdsReferences = {
  organizations: new Map(
    [
      [BUYER, 'Moscow schools', 'RU-INN', '7701234567', 'Moscow', 'RU'],
      [JOINT, 'Kazan schools', 'RU-INN', '1655000000', 'Kazan', 'RU'],
      [CHEAP, 'Paper mill', 'KZ-BIN', '123456789012', 'Almaty', 'KZ'],
      [DEAR, 'Dear paper', 'RU-INN', '7700000000', 'Moscow', 'RU'],
      [LATE, 'Late paper', 'RU-INN', '7700000001', 'Moscow', 'RU'],
    ].map(([id, legalName, taxScheme, taxId, locality, country]) => [
      id!,
      {
        id: id!,
        legalName: legalName!,
        taxScheme: taxScheme!,
        taxId: taxId!,
        locality: locality!,
        region: null,
        country: country!,
      },
    ]),
  ),
  cpvNames: new Map([['30197630-1', 'Printing paper']]),
  unitNames: new Map([['XPK', 'package']]),
  documents: [
    {
      id: 'doc-1',
      title: 'Terms',
      url: 'https://example.org/terms.pdf',
      publishedAt: '2026-02-28T09:00:00.000Z',
    },
    {
      id: 'doc-2',
      title: 'Terms v2',
      // Stored before links were checked into ASCII URIs: published as one.
      url: 'https://example.org/условия.pdf',
      publishedAt: '2026-03-02T10:00:00.000Z',
    },
  ],
  bidDates: new Map([
    [BID_CHEAP, '2026-03-03T10:00:00.000000Z'],
    [BID_DEAR, '2026-03-04T10:00:00.000000Z'],
    [BID_LATE, '2026-03-02T11:00:00.000000Z'],
  ]),
};

const opened = (bidId: string, supplierId: string, price: string, status = 'opened') => ({
  bidId,
  supplierId,
  status,
  commitment: 'c'.repeat(64),
  salt: 's',
  content: { bidId, supplierId, currency: 'RUB', lots: [{ lotId: LOT, price }] },
});

/** A whole process: publication, a question, an amendment, sealed bids, closing, a rejection, award, contract. */
function history(): OcdsEvent[] {
  nextId = 100;
  return [
    event(1, 'tender.published', '01T10:00:00.000000', { tender: tenderView }),
    event(2, 'question.asked', '01T12:00:00.000000', { questionId: 'q1', lotId: null, text: 'Colour?' }),
    event(3, 'question.answered', '01T13:00:00.000000', { questionId: 'q1', answer: 'White' }),
    event(4, 'tender.amended', '02T10:00:00.000000', {
      number: 1,
      rationale: 'Budget revised',
      changes: {
        title: { before: 'Office paper', after: 'Office paper for schools' },
        [`lots.${LOT}.estimate`]: { before: '100000.00', after: '120000.50' },
        clarificationsUntil: { before: '2026-03-09T10:00:00.000Z', after: '2026-03-08T10:00:00.000Z' },
      },
      termsChanged: true,
    }),
    event(10, 'bid.opened', '10T10:00:01.000000', opened(BID_CHEAP, CHEAP, '90000.00')),
    event(10, 'bid.opened', '10T10:00:01.000000', {
      ...opened(BID_DEAR, DEAR, '95000.00'),
      content: {
        ...opened(BID_DEAR, DEAR, '95000.00').content,
        // Sealed in the bid's event before links were checked into ASCII URIs: published as one.
        documents: [{ title: 'Certificate', url: 'https://документы.рф/c.pdf', sha256: 'd'.repeat(64) }],
      },
    }),
    event(10, 'bid.opened', '10T10:00:01.000000', opened(BID_LATE, LATE, '80000.00', 'dropped')),
    event(10, 'tender.closed', '10T10:00:01.000000', {
      status: 'active.qualification',
      lots: [
        {
          lotId: LOT,
          status: 'active',
          ranking: [
            { rank: 1, bidId: BID_CHEAP, supplierId: CHEAP, price: '90000.00' },
            { rank: 2, bidId: BID_DEAR, supplierId: DEAR, price: '95000.00' },
          ],
        },
      ],
    }),
    event(10, 'award.pending', '10T10:00:01.000000', {
      awardId: 'award-1',
      lotId: LOT,
      bidId: BID_CHEAP,
      supplierId: CHEAP,
      amount: '90000.00',
    }),
    event(11, 'award.rejected', '11T10:00:00.000000', { awardId: 'award-1', lotId: LOT, bidId: BID_CHEAP }),
    event(11, 'award.pending', '11T10:00:00.000000', {
      awardId: 'award-2',
      lotId: LOT,
      bidId: BID_DEAR,
      supplierId: DEAR,
      amount: '95000.00',
    }),
    event(12, 'award.accepted', '12T10:00:00.000000', { awardId: 'award-2', lotId: LOT }),
    event(12, 'contract.created', '12T10:00:00.000000', {
      contractId: 'contract-1',
      awardId: 'award-2',
      lotId: LOT,
      buyerId: JOINT,
      amount: '23750.00',
    }),
    event(12, 'tender.awarded', '12T10:00:00.000000', { status: 'active.awarded' }),
    event(13, 'contract.signed', '20T10:00:00.000000', { contractId: 'contract-1', by: 'buyer' }),
    event(14, 'contract.signed', '21T10:00:00.000000', { contractId: 'contract-1', by: 'supplier' }),
    event(14, 'tender.completed', '21T10:00:00.000000', { status: 'complete' }),
  ];
}

const build = (events: OcdsEvent[]) => buildReleases({ ocid: OCID, events, refs }).map((b) => b.release);

function collectEmpty(value: unknown, path = '$'): string[] {
  if (value === '' || value === null) return [path];
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((v, i) => collectEmpty(v, `${path}[${i}]`));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => collectEmpty(v, `${path}.${k}`));
  }
  return [];
}

describe('buildReleases', () => {
  const releases = build(history());
  const byTag = (tag: string) => releases.filter((r) => r.tag.includes(tag));

  it('makes one release per transaction, identified by its first event, in event order', () => {
    expect(releases.map((r) => r.id)).toEqual(
      ['101', '102', '103', '104', '105', '110', '112', '115', '116'].map((id) => `${OCID}-${id}`),
    );
    expect(new Set(releases.map((r) => r.id)).size).toBe(releases.length);
    expect(releases.map((r) => r.tag)).toEqual([
      ['tender'],
      ['tenderUpdate'],
      ['tenderUpdate'],
      ['tenderAmendment'],
      ['tenderUpdate', 'award'],
      ['award', 'awardUpdate'],
      ['tenderUpdate', 'awardUpdate', 'contract'],
      ['contractUpdate'],
      ['tenderUpdate', 'contractUpdate'],
    ]);
    expect(releases.every((r) => r.initiationType === 'tender' && r.ocid === OCID)).toBe(true);
  });

  it('publishes no bid, no tenderer and no supplier before the opening', () => {
    for (const release of releases.slice(0, 4)) {
      expect(release.bids).toBeUndefined();
      expect(release.tender?.tenderers).toBeUndefined();
      expect(release.parties?.map((p) => p.id)).toEqual([BUYER, JOINT]);
    }
  });

  it('maps the published tender: status, method, category, value, periods, items with CPV and unit', () => {
    const [published] = releases;
    expect(published?.tender).toEqual({
      id: tenderView.id,
      title: 'Office paper',
      status: 'active',
      procuringEntity: { id: BUYER, name: 'Moscow schools' },
      items: [
        {
          id: 'item-1',
          description: 'A4 paper, 500 sheets',
          classification: { scheme: 'CPV', id: '30197630-1', description: 'Printing paper' },
          quantity: 200,
          unit: { scheme: 'UNCEFACT', id: 'XPK', name: 'package' },
        },
      ],
      value: { amount: 100000, currency: 'RUB' },
      procurementMethod: 'open',
      procurementMethodDetails: 'Open tender with sealed bids',
      mainProcurementCategory: 'goods',
      awardCriteria: 'priceOnly',
      awardCriteriaDetails: expect.stringContaining('15.00% lower'),
      submissionMethod: ['electronicSubmission'],
      tenderPeriod: { startDate: '2026-03-01T10:00:00.000Z', endDate: '2026-03-10T10:00:00.000Z' },
      enquiryPeriod: { startDate: '2026-03-01T10:00:00.000Z', endDate: '2026-03-09T10:00:00.000Z' },
      hasEnquiries: false,
      documents: [
        {
          id: 'doc-1',
          title: 'Terms',
          url: 'https://example.org/terms.pdf',
          datePublished: '2026-02-28T09:00:00.000Z',
        },
      ],
    });
    expect(published?.buyer).toEqual({ id: BUYER, name: 'Moscow schools' });
    expect(published?.parties?.[0]).toEqual({
      id: BUYER,
      name: 'Moscow schools',
      identifier: { scheme: 'RU-INN', id: '7701234567', legalName: 'Moscow schools' },
      address: { locality: 'Moscow', countryName: 'Russia' },
      roles: ['buyer', 'procuringEntity'],
    });
    expect(published?.parties?.[1]?.roles).toEqual(['buyer']);
  });

  it('records questions as enquiries and amendments with the releases they link', () => {
    expect(releases[1]?.tender?.hasEnquiries).toBe(true);
    const amended = byTag('tenderAmendment')[0];
    expect(amended?.tender?.title).toBe('Office paper for schools');
    expect(amended?.tender?.value).toEqual({ amount: 120000.5, currency: 'RUB' });
    expect(amended?.tender?.enquiryPeriod?.endDate).toBe('2026-03-08T10:00:00.000Z');
    expect(amended?.tender?.amendments).toEqual([
      {
        id: '1',
        date: '2026-03-02T10:00:00.000000Z',
        rationale: 'Budget revised',
        description: 'Changed: title, lot 1 estimate, clarification deadline',
        amendsReleaseID: `${OCID}-103`,
        releaseID: `${OCID}-104`,
      },
    ]);
    // A document added after publication appears from the release dated after it.
    expect(amended?.tender?.documents?.map((d) => [d.id, d.url])).toEqual([
      ['doc-1', 'https://example.org/terms.pdf'],
      ['doc-2', 'https://example.org/%D1%83%D1%81%D0%BB%D0%BE%D0%B2%D0%B8%D1%8F.pdf'],
    ]);
  });

  it('opens bids at the closing: one Bid per bid and lot, ranked, the unconfirmed one disqualified', () => {
    const closing = releases[4];
    expect(closing?.bids?.details).toEqual([
      {
        id: `${BID_CHEAP}-1`,
        identifiers: [{ scheme: 'internal', id: BID_CHEAP }],
        date: '2026-03-03T10:00:00.000000Z',
        status: 'valid',
        tenderers: [{ id: CHEAP, name: 'Paper mill' }],
        value: { amount: 90000, currency: 'RUB' },
        relatedLots: [LOT],
        hasRank: true,
        rank: 1,
      },
      expect.objectContaining({ id: `${BID_DEAR}-1`, status: 'valid', rank: 2 }),
      expect.objectContaining({ id: `${BID_LATE}-1`, status: 'disqualified' }),
    ]);
    expect(closing?.bids?.details?.[2]).not.toHaveProperty('rank');
    // A bid's documents, revealed with it, are the Bid's documents; a bid without has none.
    expect(closing?.bids?.details?.[1]?.documents).toEqual([
      { id: `${BID_DEAR}-doc-1`, title: 'Certificate', url: 'https://xn--d1acoigc6ae0f.xn--p1ai/c.pdf' },
    ]);
    expect(closing?.bids?.details?.[0]).not.toHaveProperty('documents');
    expect(closing?.tender?.numberOfTenderers).toBe(3);
    expect(closing?.tender?.status).toBe('active');
    expect(closing?.awards).toEqual([
      {
        id: 'award-1',
        title: 'Lot 1: Paper A4',
        status: 'pending',
        date: '2026-03-10T10:00:01.000000Z',
        value: { amount: 90000, currency: 'RUB' },
        suppliers: [{ id: CHEAP, name: 'Paper mill' }],
        items: closing?.tender?.items,
        relatedBids: [`${BID_CHEAP}-1`],
      },
    ]);
    const cheap = closing?.parties?.find((p) => p.id === CHEAP);
    expect(cheap?.roles).toEqual(['supplier', 'tenderer']);
    expect(closing?.parties?.find((p) => p.id === LATE)?.roles).toEqual(['tenderer']);
  });

  it('follows a rejection, the next award, the contract and its signatures to completion', () => {
    const rejected = releases[5];
    expect(rejected?.awards?.map((a) => [a.id, a.status])).toEqual([
      ['award-1', 'unsuccessful'],
      ['award-2', 'pending'],
    ]);
    expect(rejected?.bids?.details?.find((b) => b.id === `${BID_CHEAP}-1`)?.status).toBe('disqualified');
    const contracted = releases[6];
    expect(contracted?.contracts).toEqual([
      {
        id: 'contract-1',
        awardID: 'award-2',
        title: 'Lot 1: Paper A4',
        status: 'pending',
        value: { amount: 23750, currency: 'RUB' },
        // The joint buyer's contract covers its own quantity.
        items: [expect.objectContaining({ id: 'item-1', quantity: 50 })],
        relatedBids: [`${BID_DEAR}-1`],
      },
    ]);
    expect(releases[7]?.contracts?.[0]?.status).toBe('pending');
    const complete = releases[8];
    expect(complete?.tender?.status).toBe('complete');
    expect(complete?.contracts?.[0]).toMatchObject({
      status: 'active',
      dateSigned: '2026-03-21T10:00:00.000000Z',
    });
  });

  it('never emits an empty string, object or array, nor a null', () => {
    for (const release of releases) expect(collectEmpty(release)).toEqual([]);
  });

  it('emits nothing for sealed bid events or for events before the publication', () => {
    nextId = 50;
    const sealed = [
      event(0, 'bid.submitted', '01T09:00:00.000000', { commitment: 'c'.repeat(64) }),
      ...history().slice(0, 1),
      event(7, 'bid.submitted', '05T09:00:00.000000', { commitment: 'c'.repeat(64) }),
      event(8, 'bid.withdrawn', '06T09:00:00.000000', { commitment: 'c'.repeat(64) }),
    ];
    expect(build(sealed).map((r) => r.tag)).toEqual([['tender']]);
  });

  it('cancels: the tender, its live awards and unsigned contracts', () => {
    const events = history().slice(0, 13);
    nextId = 200;
    events.push(event(20, 'tender.cancelled', '15T10:00:00.000000', { reason: 'Budget withdrawn' }));
    const cancelled = build(events).at(-1) as OcdsRelease;
    expect(cancelled.tag).toEqual(['tenderCancellation', 'awardCancellation', 'contractUpdate']);
    expect(cancelled.tender?.status).toBe('cancelled');
    expect(cancelled.tender?.value).toBeUndefined();
    expect(cancelled.awards?.map((a) => a.status)).toEqual(['unsuccessful', 'cancelled']);
    expect(cancelled.contracts?.map((c) => c.status)).toEqual(['cancelled']);
  });

  it('cancels one buyer’s contract on its own, keeping the award', () => {
    const events = history().slice(0, 13);
    nextId = 300;
    events.push(
      event(21, 'contract.cancelled', '15T10:00:00.000000', {
        contractId: 'contract-1',
        reason: 'The school closed',
      }),
    );
    const cancelled = build(events).at(-1) as OcdsRelease;
    expect(cancelled.tag).toEqual(['contractUpdate']);
    expect(cancelled.contracts?.map((c) => c.status)).toEqual(['cancelled']);
    expect(cancelled.awards?.map((a) => a.status)).toEqual(['unsuccessful', 'active']);
  });
});

describe('OCDS codes', () => {
  it('maps every published tender status onto tenderStatus', () => {
    expect(
      ['active.enquiries', 'active.tendering', 'active.qualification', 'active.awarded'].map(
        ocdsTenderStatus,
      ),
    ).toEqual(['active', 'active', 'active', 'active']);
    expect(['complete', 'cancelled', 'unsuccessful'].map(ocdsTenderStatus)).toEqual([
      'complete',
      'cancelled',
      'unsuccessful',
    ]);
    expect(ocdsTenderStatus('draft')).toBeUndefined();
  });

  it('takes the category from the CPV division', () => {
    expect(['03111000-2', '30197630-1', '48000000-8'].map(cpvCategory)).toEqual(['goods', 'goods', 'goods']);
    expect(cpvCategory('45233130-9')).toBe('works');
    expect(cpvCategory('79710000-4')).toBe('services');
    expect(cpvCategory('x')).toBeUndefined();
    expect(mainProcurementCategory(['45233130-9', '79710000-4', '79710000-4'])).toBe('services');
    expect(mainProcurementCategory([])).toBeUndefined();
  });

  it('turns exact two-decimal amounts into numbers that print back the same decimal', () => {
    for (const amount of ['0.10', '0.30', '1234.50', '9999999999999.99', '100000000000000.00']) {
      expect(JSON.stringify(toOcdsNumber(amount))).toBe(String(Number(amount)));
      expect(toOcdsNumber(amount)?.toFixed(2)).toBe(amount);
    }
    expect(toOcdsNumber('')).toBeUndefined();
  });
});

describe('pruneEmpty', () => {
  it('drops empty strings, objects, arrays and nulls, recursively, and keeps 0 and false', () => {
    expect(
      pruneEmpty({ a: '', b: { c: [] as unknown[], d: {} }, e: [null, '', 0], f: false, g: ' ', h: 'x' }),
    ).toEqual({
      e: [0],
      f: false,
      h: 'x',
    });
    expect(pruneEmpty({ a: {} })).toBeUndefined();
  });
});

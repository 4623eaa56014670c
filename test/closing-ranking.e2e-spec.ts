import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import {
  bidCommitment,
  describeRule,
  type LocalPreference,
  makeValidTaxId,
  newSalt,
  type Place,
  rankLot,
  TenderClosingService,
} from '@app/domain';
import { nextSeq } from './factories/actors';
import { createTestApp, TestApp } from './setup/app-factory';
import { resetState } from './setup/reset';

/**
 * The closing ranks in SQL; rankLot is the reference (itself checked against a brute-force rational ranking in
 * its unit tests). Random tenders - preferences of every scope, ties on price, on the millisecond and below it,
 * lots without bids or cancelled, bids held for confirmation - are closed by the real service on the real
 * database, and every stored and published result must equal what rankLot makes of the same bids.
 */

/** The buyer's city first; suppliers in its country, in other union states, and outside the union. */
const CITIES = ['moscow', 'kazan', 'minsk', 'almaty', 'yerevan', 'chisinau', 'tashkent'] as const;

interface Org {
  id: string;
  place: Place;
}

interface BidSpec {
  supplier: number;
  pending: boolean;
  /** Offset from a base instant in microseconds: equal values tie, values within one millisecond tie too. */
  micros: number;
  /** The commit sequence, relative: not always in the order of the instants. */
  sequence: number;
  /** Per lot: a price in cents, or null for no price on that lot. */
  prices: (number | null)[];
}

interface TenderSpec {
  preference: LocalPreference | null;
  minBids: number;
  cancelled: boolean[];
  bids: BidSpec[];
}

/** Mostly a few prices, so ties are frequent; 11,764.71 at 15% and 10,000.00 evaluate within a cent. */
const price = fc.oneof(
  { arbitrary: fc.constantFrom(10_000_00, 10_000_01, 9_999_99, 11_764_71, 8_500_00), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 12_000_000 }), weight: 1 },
);

const tenderSpec: fc.Arbitrary<TenderSpec> = fc.integer({ min: 1, max: 3 }).chain((lots) =>
  fc.record({
    preference: fc.option(
      fc.record({
        scope: fc.constantFrom('city', 'region', 'country', 'eaeu'),
        percent: fc.constantFrom('0', '0.01', '7.25', '15', '15.00', '25'),
      }),
      { nil: null },
    ),
    minBids: fc.integer({ min: 1, max: 3 }),
    cancelled: fc.array(
      fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      { minLength: lots, maxLength: lots },
    ),
    bids: fc.uniqueArray(
      fc.record({
        supplier: fc.integer({ min: 0, max: CITIES.length - 2 }),
        pending: fc.boolean(),
        micros: fc.oneof(fc.constantFrom(0, 400, 999, 1000), fc.integer({ min: 0, max: 5_000 })),
        sequence: fc.integer({ min: 0, max: 3 }),
        prices: fc.array(fc.option(price, { nil: null, freq: 4 }), { minLength: lots, maxLength: lots }),
      }),
      { selector: (b) => b.supplier, maxLength: CITIES.length - 1 },
    ),
  }),
);

describe('Closing ranks exactly as rankLot does', () => {
  let t: TestApp;
  let db: DataSource;
  let buyer: Org;
  let suppliers: Org[];

  beforeAll(async () => {
    await resetState();
    t = await createTestApp();
    db = t.app.get(DataSource);
    const orgs: Org[] = [];
    for (const [i, code] of CITIES.entries()) {
      const [city] = await db.query(`SELECT id, country, region FROM cities WHERE code = $1`, [code]);
      const [org] = await db.query(
        `INSERT INTO organizations (kind, legal_name, tax_scheme, tax_id, country, city_id, status)
         VALUES ($1, $2, 'RU-INN', $3, $4, $5, 'active') RETURNING id`,
        [
          i === 0 ? 'buyer' : 'supplier',
          `Ranking ${code}`,
          makeValidTaxId('RU-INN', nextSeq()),
          city.country,
          city.id,
        ],
      );
      orgs.push({ id: org.id, place: { cityId: city.id, region: city.region, country: city.country } });
    }
    [buyer, ...suppliers] = orgs as [Org, ...Org[]];
  });
  afterAll(() => t.app.close());

  /** A published tender past its deadline, its lots and its sealed bids, written as the services leave them. */
  async function seed(spec: TenderSpec): Promise<{ tenderId: string; lotIds: string[] }> {
    const tenderId = randomUUID();
    const lotIds = spec.cancelled.map(() => randomUUID());
    const n = nextSeq();
    await db.query(
      `INSERT INTO tenders (id, number, ocid, title, status, method, currency, min_bids, organizer_id,
                            preference_scope, preference_percent, tender_start, tender_end, published_at)
       VALUES ($1, $2, $3, 'Ranking', 'active.tendering', 'open', 'RUB', $4, $5, $6, $7,
               now() - interval '10 days', now() - interval '1 second', now() - interval '10 days')`,
      [
        tenderId,
        `MTP-RANK-${n}`,
        `ocds-rank-${n}`,
        spec.minBids,
        buyer.id,
        spec.preference?.scope ?? null,
        spec.preference?.percent ?? null,
      ],
    );
    for (const [i, lotId] of lotIds.entries()) {
      await db.query(
        `INSERT INTO lots (id, tender_id, number, title, estimate, status) VALUES ($1, $2, $3, 'Lot', 200000.00, $4)`,
        [lotId, tenderId, i + 1, spec.cancelled[i] ? 'cancelled' : 'active'],
      );
    }
    const [row] = await db.query(`SELECT nextval('bid_sequence') * 10 AS base`);
    const base = Number(row.base);
    for (const bid of spec.bids) {
      const supplier = suppliers[bid.supplier] as Org;
      const lots = bid.prices.flatMap((cents, i) =>
        cents === null ? [] : [{ lotId: lotIds[i] as string, price: (cents / 100).toFixed(2) }],
      );
      if (lots.length === 0) continue;
      const bidId = randomUUID();
      const content = { bidId, tenderId, supplierId: supplier.id, currency: 'RUB', lots };
      const salt = newSalt();
      await db.query(
        `INSERT INTO bids (id, tender_id, supplier_id, status, commitment, salt, content, submitted_at, sequence)
         VALUES ($1, $2, $3, $4, $5, $6, $7,
                 timestamptz '2026-11-20 10:00:00+00' + $8 * interval '1 microsecond', $9)`,
        [
          bidId,
          tenderId,
          supplier.id,
          bid.pending ? 'pending_confirmation' : 'active',
          bidCommitment(content, salt),
          salt,
          JSON.stringify(content),
          bid.micros,
          base + bid.sequence,
        ],
      );
      for (const lot of lots) {
        await db.query(`INSERT INTO bid_lots (bid_id, lot_id, price) VALUES ($1, $2, $3)`, [
          bidId,
          lot.lotId,
          lot.price,
        ]);
      }
    }
    return { tenderId, lotIds };
  }

  /** What rankLot makes of the tender's sealed bids, read as the database keeps them before the closing. */
  async function expected(spec: TenderSpec, tenderId: string, lotIds: string[]) {
    const bids: { id: string; supplier_id: string; status: string; submitted_at: Date; sequence: string }[] =
      await db.query(
        `SELECT id, supplier_id, status, submitted_at, sequence FROM bids WHERE tender_id = $1`,
        [tenderId],
      );
    const prices: { bid_id: string; lot_id: string; price: string }[] = await db.query(
      `SELECT bl.bid_id, bl.lot_id, bl.price::text AS price FROM bid_lots bl JOIN bids b ON b.id = bl.bid_id
        WHERE b.tender_id = $1`,
      [tenderId],
    );
    const placeOf = new Map(suppliers.map((s) => [s.id, s.place]));
    return lotIds.flatMap((lotId, i) => {
      if (spec.cancelled[i]) return [];
      const ranked = rankLot(
        prices
          .filter((p) => p.lot_id === lotId)
          .flatMap((p) => {
            const bid = bids.find((b) => b.id === p.bid_id);
            if (!bid || bid.status !== 'active') return [];
            return [
              {
                bidId: bid.id,
                supplierId: bid.supplier_id,
                price: p.price,
                submittedAt: bid.submitted_at,
                sequence: Number(bid.sequence),
                supplierPlace: placeOf.get(bid.supplier_id) as Place,
              },
            ];
          }),
        buyer.place,
        spec.preference,
      );
      const enough = ranked.length >= Math.max(spec.minBids, 1);
      return [{ lotId, enough, ranked }];
    });
  }

  it('stores and publishes the ranking, the lot results and the awards of the reference', async () => {
    const closing = t.app.get(TenderClosingService);
    await fc.assert(
      fc.asyncProperty(tenderSpec, async (spec) => {
        const { tenderId, lotIds } = await seed(spec);
        const lots = await expected(spec, tenderId, lotIds);
        const result = await closing.closeDue(10, [tenderId]);
        const anyAwarded = lots.some((l) => l.enough);
        expect(result.closed).toEqual([
          { tenderId, status: anyAwarded ? 'active.qualification' : 'unsuccessful' },
        ]);

        const [event] = await db.query(
          `SELECT payload FROM deal_events WHERE tender_id = $1 AND type = 'tender.closed'`,
          [tenderId],
        );
        expect(event.payload).toEqual({
          status: anyAwarded ? 'active.qualification' : 'unsuccessful',
          rule: describeRule(spec.preference),
          minBids: spec.minBids,
          lots: lots.map((l) => ({
            lotId: l.lotId,
            status: l.enough ? 'active' : 'unsuccessful',
            ...(l.enough ? {} : { reason: `fewer than ${spec.minBids} bid(s)` }),
            bids: l.ranked.length,
            ranking: l.ranked.map((r) => ({
              rank: r.rank,
              bidId: r.bidId,
              supplierId: r.supplierId,
              price: r.price,
              evaluatedPrice: r.evaluatedPrice,
              preferenceApplied: r.preferenceApplied,
            })),
          })),
        });

        const stored: {
          bid_id: string;
          lot_id: string;
          rank: number;
          evaluated: string;
          preference: boolean;
        }[] = await db.query(
          `SELECT bl.bid_id, bl.lot_id, bl.rank, bl.evaluated_price::text AS evaluated,
                    bl.preference_applied AS preference
               FROM bid_lots bl JOIN bids b ON b.id = bl.bid_id
              WHERE b.tender_id = $1 AND bl.rank IS NOT NULL ORDER BY bl.lot_id, bl.rank`,
          [tenderId],
        );
        expect(stored).toEqual(
          lots
            .flatMap((l) =>
              l.ranked.map((r) => ({
                bid_id: r.bidId,
                lot_id: l.lotId,
                rank: r.rank,
                evaluated: r.evaluatedPrice,
                preference: r.preferenceApplied,
              })),
            )
            .sort((a, b) => (a.lot_id < b.lot_id ? -1 : a.lot_id > b.lot_id ? 1 : a.rank - b.rank)),
        );

        const awards: { lot_id: string; bid_id: string; amount: string }[] = await db.query(
          `SELECT lot_id, bid_id, amount::text AS amount FROM awards WHERE tender_id = $1 AND status = 'pending'
            ORDER BY lot_id`,
          [tenderId],
        );
        expect(awards).toEqual(
          lots
            .filter((l) => l.enough)
            .map((l) => ({ lot_id: l.lotId, bid_id: l.ranked[0]?.bidId, amount: l.ranked[0]?.price }))
            .sort((a, b) => (a.lot_id < b.lot_id ? -1 : 1)),
        );
        const failed: { id: string }[] = await db.query(
          `SELECT id FROM lots WHERE tender_id = $1 AND status = 'unsuccessful' ORDER BY id`,
          [tenderId],
        );
        expect(failed.map((l) => l.id)).toEqual(
          lots
            .filter((l) => !l.enough)
            .map((l) => l.lotId)
            .sort(),
        );
        const statuses: { status: string; n: number }[] = await db.query(
          `SELECT status, count(*)::int AS n FROM bids WHERE tender_id = $1 GROUP BY status ORDER BY status`,
          [tenderId],
        );
        const placed = spec.bids.filter((b) => b.prices.some((p) => p !== null));
        const opened = placed.filter((b) => !b.pending).length;
        const dropped = placed.length - opened;
        expect(statuses).toEqual([
          ...(dropped > 0 ? [{ status: 'dropped', n: dropped }] : []),
          ...(opened > 0 ? [{ status: 'opened', n: opened }] : []),
        ]);
      }),
      { numRuns: 100 },
    );
  });
});

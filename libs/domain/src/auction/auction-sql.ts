import { DealLogWriter } from '../deal-log/deal-log.writer';
import { nextStatus } from '../procurement/rules/tender-state';

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const QUALIFICATION = nextStatus('active.auction', 'finishAuction', { anyLotAwarded: true });
const UNSUCCESSFUL = nextStatus('active.auction', 'finishAuction', { anyLotAwarded: false });

/**
 * Starts the auctions of tenders just moved into active.auction ($1) by their opening: each ends $2 seconds after
 * the opening unless a price moves it, with an auction.started event naming its period, its step and each lot's
 * step in money (half-up to the cent, at least a cent: auctionStep).
 */
export const START_AUCTIONS = `
WITH started AS (
  UPDATE tenders t SET auction_end = now() + make_interval(secs => $2::int)
   WHERE t.id = ANY($1::uuid[]) AND t.status = 'active.auction'
  RETURNING t.id, t.auction_end, t.auction_step_percent
), logged AS (
  ${DealLogWriter.insertFrom(`
  SELECT 'auction.started' AS type, s.id AS tender_id, NULL::uuid AS actor_id,
         jsonb_build_object(
           'auctionPeriod', jsonb_build_object('startDate', to_char(now() AT TIME ZONE 'UTC', ${ISO_MS}),
                                               'endDate', to_char(s.auction_end AT TIME ZONE 'UTC', ${ISO_MS})),
           'stepPercent', s.auction_step_percent::text, 'roundSeconds', $2::int,
           'lots', (SELECT coalesce(jsonb_agg(jsonb_build_object('lotId', l.id,
                      'step', greatest(round(l.estimate * s.auction_step_percent / 100, 2), 0.01)::text)
                      ORDER BY l.number), '[]')
                      FROM lots l WHERE l.tender_id = s.id AND l.status = 'active')) AS payload,
         NULL::jsonb AS sealed_payload
    FROM started s ORDER BY s.id`)}
)
SELECT id, auction_end FROM started`;

/**
 * The standings of a lot (`lot`, an SQL expression) of an auction with `discount` hundredths of a percent of
 * preference: the opened bids of suppliers still active, each with its evaluated price in cents x 10000 (`scaled`,
 * the preference the opening found) and the time of its price (its last auction price's, or its first bid's). A
 * supplier suspended since the opening keeps its bid, but out of the standings while it is suspended, as the
 * closing drops its bid: it can offer no price, sign no contract, and must not hold the others to its price.
 */
export const standingsOf = (lot: string, discount: string) => `
  SELECT bl.bid_id, bl.lot_id, b.supplier_id, bl.price, coalesce(bl.preference_applied, false) AS local, b.sequence,
         coalesce(bl.auction_bid_at, b.submitted_at) AS priced_at,
         bl.price * (10000 - CASE WHEN bl.preference_applied THEN ${discount} ELSE 0 END) AS scaled
    FROM bid_lots bl
    JOIN bids b ON b.id = bl.bid_id AND b.status = 'opened'
    JOIN organizations o ON o.id = b.supplier_id AND o.status = 'active'
   WHERE bl.lot_id = ${lot}`;

/** The order of standings (alias r), best first: evaluated price, then the earlier price, sequence and bid id. */
export const STANDING_ORDER = `ORDER BY r.scaled, date_trunc('milliseconds', r.priced_at), r.sequence, r.bid_id::text COLLATE "C"`;

/** The evaluated price shown, from `scaled` (alias r), rounded half-up to the cent in integers. */
const EVALUATED = `div(r.scaled * 100 + 5000, 10000) * 0.01`;

/**
 * The live ranking of one lot ($1) of an auction whose preference is $2 hundredths of a percent, written after each
 * price so the public bids show each bid's current evaluated price and place (none for a bid out of the
 * standings); the end ranks again the same way.
 */
export const RANK_LOT = `
WITH ranked AS (
  SELECT r.bid_id, ${EVALUATED} AS evaluated, row_number() OVER (${STANDING_ORDER}) AS rank
    FROM (${standingsOf('$1::uuid', '$2::int')}) r
)
UPDATE bid_lots bl SET evaluated_price = coalesce(x.evaluated, bl.evaluated_price), rank = x.rank
  FROM bid_lots own LEFT JOIN ranked x ON x.bid_id = own.bid_id
 WHERE bl.lot_id = $1::uuid AND own.lot_id = $1::uuid AND own.bid_id = bl.bid_id`;

/**
 * The end of claimed auctions ($1, locked; $2 each one's published rule): every active lot ranks its standings on
 * their last prices as the closing ranks first bids (exact evaluated price with the preference the opening found,
 * then the earlier price to the millisecond, the lower commit sequence and the lower bid id), and its best bid gets
 * a pending award. Every lot in the auction had enough bids at the opening; one left without a bid of an active
 * supplier is unsuccessful, and a tender left without a ranked lot (its lots cancelled or so emptied) is
 * unsuccessful. Events: auction.ended with each lot's result and ranking, then each award.pending, in claim order.
 */
export const FINISH_AUCTIONS = `
WITH due AS MATERIALIZED (
  SELECT t.id, x.ord, x.rule,
         CASE WHEN t.preference_scope IS NULL THEN 0 ELSE (coalesce(t.preference_percent, 0) * 100)::int END AS discount
    FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS x(id, rule, ord)
    JOIN tenders t ON t.id = x.id
), auctioned AS MATERIALIZED (
  SELECT l.id AS lot_id, l.tender_id, l.number, d.ord, d.discount
    FROM due d JOIN lots l ON l.tender_id = d.id AND l.status = 'active'
), ranked AS MATERIALIZED (
  SELECT r.*, a.tender_id, a.number, a.ord, ${EVALUATED} AS evaluated,
         row_number() OVER (PARTITION BY r.lot_id ${STANDING_ORDER}) AS rank
    FROM auctioned a CROSS JOIN LATERAL (${standingsOf('a.lot_id', 'a.discount')}) r
), evaluated AS (
  UPDATE bid_lots bl SET evaluated_price = r.evaluated, rank = r.rank
    FROM ranked r WHERE bl.bid_id = r.bid_id AND bl.lot_id = r.lot_id
), unranked AS (
  UPDATE bid_lots bl SET rank = NULL
    FROM auctioned a
   WHERE bl.lot_id = a.lot_id AND NOT EXISTS (SELECT 1 FROM ranked r WHERE r.bid_id = bl.bid_id AND r.lot_id = bl.lot_id)
), lot_results AS MATERIALIZED (
  SELECT a.lot_id, a.tender_id, a.number, coalesce(x.bids, 0) AS bids, coalesce(x.ranking, '[]') AS ranking
    FROM auctioned a
    LEFT JOIN (
      SELECT r.lot_id, count(*)::int AS bids,
             jsonb_agg(jsonb_build_object('rank', r.rank, 'bidId', r.bid_id, 'supplierId', r.supplier_id,
                                          'price', r.price::text, 'evaluatedPrice', r.evaluated::text,
                                          'preferenceApplied', r.local,
                                          'pricedAt', to_char(r.priced_at AT TIME ZONE 'UTC', ${ISO_MS}))
                       ORDER BY r.rank) AS ranking
        FROM ranked r GROUP BY r.lot_id
    ) x ON x.lot_id = a.lot_id
), failed AS (
  UPDATE lots l SET status = 'unsuccessful', status_reason = 'no bid of an active supplier at the end of the auction'
    FROM lot_results lr WHERE l.id = lr.lot_id AND lr.bids = 0
), awarded AS (
  INSERT INTO awards (tender_id, lot_id, bid_id, supplier_id, amount, rank, status)
  SELECT r.tender_id, r.lot_id, r.bid_id, r.supplier_id, r.price, 1, 'pending'
    FROM ranked r WHERE r.rank = 1
  RETURNING id, tender_id, lot_id, bid_id, supplier_id, amount
), tender_results AS MATERIALIZED (
  SELECT d.id, d.ord, d.rule,
         CASE WHEN EXISTS (SELECT 1 FROM ranked r WHERE r.tender_id = d.id) THEN '${QUALIFICATION}'
              ELSE '${UNSUCCESSFUL}' END AS status,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('lotId', lr.lot_id,
                    'status', CASE WHEN lr.bids > 0 THEN 'active' ELSE 'unsuccessful' END,
                    'bids', lr.bids, 'ranking', lr.ranking)
                  || CASE WHEN lr.bids > 0 THEN '{}'::jsonb
                          ELSE '{"reason": "no bid of an active supplier at the end of the auction"}'::jsonb END
                  ORDER BY lr.number), '[]')
            FROM lot_results lr WHERE lr.tender_id = d.id) AS lots
    FROM due d
), finished AS (
  UPDATE tenders t SET status = tr.status, updated_at = now()
    FROM tender_results tr WHERE t.id = tr.id
  RETURNING t.id, tr.status
), logged AS (
  ${DealLogWriter.insertFrom(`
  SELECT e.type, e.tender_id, NULL::uuid AS actor_id, e.payload, NULL::jsonb AS sealed_payload
    FROM (
      SELECT 1 AS part, tr.ord, 0 AS k, 'auction.ended' AS type, tr.id AS tender_id,
             jsonb_build_object('status', tr.status, 'rule', tr.rule, 'lots', tr.lots) AS payload
        FROM tender_results tr
      UNION ALL
      SELECT 2, r.ord, r.number, 'award.pending', a.tender_id,
             jsonb_build_object('awardId', a.id, 'lotId', a.lot_id, 'bidId', a.bid_id, 'supplierId', a.supplier_id,
                                'amount', a.amount::text, 'rank', 1)
        FROM awarded a JOIN ranked r ON r.bid_id = a.bid_id AND r.lot_id = a.lot_id
    ) e
   ORDER BY e.part, e.ord, e.k`)}
)
SELECT id, status FROM finished`;

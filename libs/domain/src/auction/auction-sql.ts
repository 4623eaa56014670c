import { DealLogWriter } from '../deal-log/deal-log.writer';
import { nextStatus } from '../procurement/rules/tender-state';
import { LOCAL_SUPPLIER } from '../tender/closing-sql';

const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const AUCTION = nextStatus('active.tendering', 'close', { anyLotAwarded: true, auction: true });

/**
 * The auctions that start at the deadline of claimed electronic auctions ($1; $2 the round in seconds): those
 * with a lot that has enough bids (max(min_bids, 1) bids of active suppliers, confirmed after any amendment - the
 * bids the closing would rank), and no unanswered question. Their bids stay sealed: not opened, no supplier named.
 * Those bids enter the auction with a participant number (their place in the order of their commitments, which
 * say nothing of who placed them), kept to the end whatever happens to their suppliers meanwhile, so that nothing
 * public ties a number to a name; any other bid is left out, and dropped at the end. Each entered bid lot gets
 * whether the preference applies to it, the lots with too few bids become unsuccessful, and the
 * tender goes to active.auction with its end, logged by auction.started (period, step, and per lot its step in
 * money - half-up to the cent, at least a cent: auctionStep - its status and number of participants). A claimed
 * tender not started here is closed at once, as an open tender (every lot short of bids: unsuccessful).
 */
export const START_AUCTIONS = `
WITH due AS MATERIALIZED (
  SELECT t.id, t.min_bids, t.preference_scope AS scope, t.auction_step_percent AS step,
         CASE WHEN t.preference_scope IS NULL THEN 0 ELSE (coalesce(t.preference_percent, 0) * 100)::int END AS discount,
         c.id AS city_id, c.region, upper(c.country) AS country
    FROM tenders t
    JOIN organizations o ON o.id = t.organizer_id
    JOIN cities c ON c.id = o.city_id
   WHERE t.id = ANY($1::uuid[]) AND t.method = 'auction' AND t.status = 'active.tendering'
     AND NOT EXISTS (SELECT 1 FROM tender_questions q WHERE q.tender_id = t.id AND q.answered_at IS NULL)
), entrants AS MATERIALIZED (
  SELECT b.id, b.tender_id, row_number() OVER (PARTITION BY b.tender_id ORDER BY b.commitment) AS participant
    FROM due d
    JOIN bids b ON b.tender_id = d.id AND b.status = 'active'
    JOIN organizations so ON so.id = b.supplier_id AND so.status = 'active'
), standing AS MATERIALIZED (
  SELECT bl.bid_id, bl.lot_id, d.id AS tender_id, ${LOCAL_SUPPLIER} AS local
    FROM due d
    JOIN lots l ON l.tender_id = d.id AND l.status = 'active'
    JOIN bid_lots bl ON bl.lot_id = l.id
    JOIN entrants e ON e.id = bl.bid_id
    JOIN bids b ON b.id = e.id
), lot_counts AS MATERIALIZED (
  SELECT l.id AS lot_id, l.tender_id, l.number, l.estimate, d.step, d.min_bids, count(s.bid_id)::int AS bids,
         count(s.bid_id) >= greatest(d.min_bids, 1) AS enough
    FROM due d
    JOIN lots l ON l.tender_id = d.id AND l.status = 'active'
    LEFT JOIN standing s ON s.lot_id = l.id
   GROUP BY l.id, l.tender_id, l.number, l.estimate, d.step, d.min_bids
), starting AS MATERIALIZED (
  SELECT DISTINCT tender_id AS id FROM lot_counts WHERE enough
), numbered AS (
  UPDATE bids b SET auction_participant = e.participant
    FROM entrants e JOIN starting st ON st.id = e.tender_id
   WHERE b.id = e.id
), marked AS (
  UPDATE bid_lots bl SET preference_applied = s.local
    FROM standing s JOIN starting st ON st.id = s.tender_id
   WHERE bl.bid_id = s.bid_id AND bl.lot_id = s.lot_id
), failed AS (
  UPDATE lots l SET status = 'unsuccessful', status_reason = 'too few bids'
    FROM lot_counts lc JOIN starting st ON st.id = lc.tender_id
   WHERE l.id = lc.lot_id AND NOT lc.enough
), started AS (
  UPDATE tenders t SET status = '${AUCTION}', auction_end = now() + make_interval(secs => $2::int), updated_at = now()
    FROM starting st WHERE t.id = st.id
  RETURNING t.id, t.auction_end, t.auction_step_percent
), logged AS (
  ${DealLogWriter.insertFrom(`
  SELECT 'auction.started' AS type, s.id AS tender_id, NULL::uuid AS actor_id,
         jsonb_build_object(
           'status', '${AUCTION}',
           'auctionPeriod', jsonb_build_object('startDate', to_char(now() AT TIME ZONE 'UTC', ${ISO_MS}),
                                               'endDate', to_char(s.auction_end AT TIME ZONE 'UTC', ${ISO_MS})),
           'stepPercent', s.auction_step_percent::text, 'roundSeconds', $2::int,
           'lots', (SELECT jsonb_agg(jsonb_build_object('lotId', lc.lot_id, 'participants', lc.bids,
                      'status', CASE WHEN lc.enough THEN 'active' ELSE 'unsuccessful' END,
                      'step', greatest(round(lc.estimate * lc.step / 100, 2), 0.01)::text)
                      || CASE WHEN lc.enough THEN '{}'::jsonb
                              ELSE jsonb_build_object('reason', 'fewer than ' || lc.min_bids || ' bid(s)') END
                      ORDER BY lc.number)
                      FROM lot_counts lc WHERE lc.tender_id = s.id)) AS payload,
         NULL::jsonb AS sealed_payload
    FROM started s ORDER BY s.id`)}
)
SELECT id, auction_end FROM started`;

/**
 * The standings of a lot (`lot`, an SQL expression) of an auction with `discount` hundredths of a percent of
 * preference: the bids that entered the auction, each with its participant number, its evaluated price in cents x
 * 10000 (`scaled`, the preference found at the start) and the time of its price (its last auction price's, or its
 * submission). A supplier suspended during the auction stays in them (it offers no price, and its bid is dropped
 * at the end as at any closing): taking it out would tell everyone which number the suspended supplier had.
 */
export const standingsOf = (lot: string, discount: string) => `
  SELECT bl.bid_id, bl.lot_id, b.supplier_id, bl.price, coalesce(bl.preference_applied, false) AS local, b.sequence,
         coalesce(bl.auction_bid_at, b.submitted_at) AS priced_at, b.auction_participant AS participant,
         bl.price * (10000 - CASE WHEN bl.preference_applied THEN ${discount} ELSE 0 END) AS scaled
    FROM bid_lots bl
    JOIN bids b ON b.id = bl.bid_id AND b.status = 'active' AND b.auction_participant IS NOT NULL
   WHERE bl.lot_id = ${lot}`;

/** The order of standings (alias r), best first: evaluated price, then the earlier price, sequence and bid id. */
export const STANDING_ORDER = `ORDER BY r.scaled, date_trunc('milliseconds', r.priced_at), r.sequence, r.bid_id::text COLLATE "C"`;

/** The evaluated price shown, from `scaled` (alias r), rounded half-up to the cent in integers. */
export const EVALUATED = `div(r.scaled * 100 + 5000, 10000) * 0.01`;

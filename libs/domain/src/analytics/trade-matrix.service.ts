import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { defineError } from '../errors';
import { BuyerCityTrade, summarizeTrade, TradeCell } from './trade-matrix';

export class TradeRangeInvalidError extends defineError('TRADE_RANGE_INVALID', 'invalid') {}

/** The longest period one matrix covers: its cost grows with the contracts signed in it. */
export const MAX_TRADE_RANGE_DAYS = 366;

export interface TradeMatrix {
  /** Signing dates (UTC), inclusive. */
  from: string;
  to: string;
  cells: TradeCell[];
  buyerCities: BuyerCityTrade[];
}

/** Buyer city × supplier city trade of signed contracts; the shares are computed by the pure summarizeTrade. */
@Injectable()
export class TradeMatrixService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The matrix of contracts signed from `from` to `to` (UTC days, inclusive): by default the year up to today
   * (or up to `to`); at most MAX_TRADE_RANGE_DAYS days, read through ix_contracts_signed_month.
   */
  async matrix(fromDay?: string, toDay?: string): Promise<TradeMatrix> {
    const DAY_MS = 86_400_000;
    const to = toDay ?? new Date().toISOString().slice(0, 10);
    const from =
      fromDay ?? new Date(Date.parse(to) - (MAX_TRADE_RANGE_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    for (const [field, day] of [
      ['from', from],
      ['to', to],
    ] as const) {
      // A real calendar day the database takes: the default `from` of an early `to` may fall before year 1.
      const at = Date.parse(`${day}T00:00:00Z`);
      if (!Number.isFinite(at) || new Date(at).toISOString().slice(0, 10) !== day || day < '1900-01-01') {
        throw new TradeRangeInvalidError(`${field}: must be a calendar day from 1900-01-01`, { field });
      }
    }
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (days < 1) throw new TradeRangeInvalidError('from: must not be after to', { field: 'from' });
    if (days > MAX_TRADE_RANGE_DAYS) {
      throw new TradeRangeInvalidError(`from, to: at most ${MAX_TRADE_RANGE_DAYS} days`, {
        field: 'from',
        maximumDays: MAX_TRADE_RANGE_DAYS,
      });
    }
    const cells = await this.dataSource.query<TradeCell[]>(
      `SELECT bc.id AS "buyerCityId", bc.region AS "buyerRegion", bc.country AS "buyerCountry",
              sc.id AS "supplierCityId", sc.region AS "supplierRegion", sc.country AS "supplierCountry",
              t.currency, count(*)::int AS contracts, sum(k.amount)::text AS value
         FROM contracts k
         JOIN tenders t ON t.id = k.tender_id
         JOIN organizations b ON b.id = k.buyer_id
         JOIN cities bc ON bc.id = b.city_id
         JOIN organizations s ON s.id = k.supplier_id
         JOIN cities sc ON sc.id = s.city_id
        WHERE k.status = 'signed'
          AND GREATEST(k.buyer_signed_at, k.supplier_signed_at) >= $1::date::timestamp AT TIME ZONE 'UTC'
          AND GREATEST(k.buyer_signed_at, k.supplier_signed_at) < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'
        GROUP BY bc.id, sc.id, t.currency
        ORDER BY bc.id, sc.id, t.currency`,
      [from, to],
    );
    return { from, to, cells, buyerCities: summarizeTrade(cells) };
  }
}

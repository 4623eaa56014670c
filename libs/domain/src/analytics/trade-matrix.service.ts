import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BuyerCityTrade, summarizeTrade, TradeCell } from './trade-matrix';

export interface TradeMatrix {
  /** Signing dates (UTC), inclusive; null when open. */
  from: string | null;
  to: string | null;
  cells: TradeCell[];
  buyerCities: BuyerCityTrade[];
}

/** Buyer city × supplier city trade of signed contracts; the shares are computed by the pure summarizeTrade. */
@Injectable()
export class TradeMatrixService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async matrix(from?: string, to?: string): Promise<TradeMatrix> {
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
          AND ($1::date IS NULL OR GREATEST(k.buyer_signed_at, k.supplier_signed_at) >= $1::date::timestamp AT TIME ZONE 'UTC')
          AND ($2::date IS NULL OR GREATEST(k.buyer_signed_at, k.supplier_signed_at) < ($2::date + 1)::timestamp AT TIME ZONE 'UTC')
        GROUP BY bc.id, sc.id, t.currency
        ORDER BY bc.id, sc.id, t.currency`,
      [from ?? null, to ?? null],
    );
    return { from: from ?? null, to: to ?? null, cells, buyerCities: summarizeTrade(cells) };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { keysReachingCity } from '@app/catalog';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors';
import { PriceSource, referencePrice, ReferencePrice } from './reference-price';

export interface ReferencePriceQuery {
  /** A catalogue item (offers and contracts), or a CPV code with a unit (contracts only). */
  catalogItemId?: string;
  cpv?: string;
  unitCode?: string;
  cityId: string;
  quantity: string;
  currency: string;
}

/** Months of contracts that count as current market prices. */
const CONTRACT_MONTHS = 12;

/** Gathers market prices for a buyer's new lot and applies the pure referencePrice rule. */
@Injectable()
export class ReferencePriceService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async reference(q: ReferencePriceQuery): Promise<ReferencePrice> {
    const [city] = await this.dataSource.query<{ id: string; country: string; region: string }[]>(
      `SELECT id, country, region FROM cities WHERE id = $1`,
      [q.cityId],
    );
    if (!city) throw new NotFoundError(`No city ${q.cityId}`, { field: 'cityId' });
    const offers = q.catalogItemId ? await this.offers(q, keysReachingCity(city)) : [];
    return referencePrice([...offers, ...(await this.contracts(q))]);
  }

  /** Active offers of the item delivering to the city, valid now, from active suppliers, for this quantity. */
  private offers(q: ReferencePriceQuery, areaKeys: string[]): Promise<PriceSource[]> {
    return this.dataSource.query<PriceSource[]>(
      `SELECT 'offer' AS kind, o.id, o.price::text AS "unitPrice", o.supplier_organization_id AS "supplierId",
              o.vat_included AS "vatIncluded", o.valid_until AS "validUntil"
         FROM catalog_offers o
         JOIN organizations s ON s.id = o.supplier_organization_id AND s.status = 'active'
        WHERE o.item_id = $1 AND o.status = 'active' AND o.currency = $2
          AND o.valid_from <= now() AND o.valid_until > now()
          AND o.min_quantity <= $3::numeric AND o.delivery_area && $4::text[]
        ORDER BY o.price, o.id`,
      [q.catalogItemId, q.currency, q.quantity, areaKeys],
    );
  }

  /** Items of contracts signed in the last 12 months (unit price as in the statistics), any delivery city. */
  private contracts(q: ReferencePriceQuery): Promise<PriceSource[]> {
    return this.dataSource.query<PriceSource[]>(
      `SELECT 'contract' AS kind, p.contract_id AS id, round(p.value / p.quantity, 4)::text AS "unitPrice",
              p.city_id AS "cityId", p.signed_at AS "signedAt", p.quantity::text AS quantity
         FROM (
           SELECT k.id AS contract_id, ti.delivery_city_id AS city_id,
                  GREATEST(k.buyer_signed_at, k.supplier_signed_at) AS signed_at,
                  COALESCE(iq.quantity, ti.quantity) AS quantity,
                  round(k.amount / (SELECT count(*) FROM tender_items x WHERE x.lot_id = ti.lot_id), 2) AS value
             FROM contracts k
             JOIN tenders t ON t.id = k.tender_id
             JOIN tender_items ti ON ti.lot_id = k.lot_id
             LEFT JOIN tender_item_quantities iq ON iq.item_id = ti.id AND iq.buyer_id = k.buyer_id
            WHERE k.status = 'signed' AND t.currency = $1
              AND GREATEST(k.buyer_signed_at, k.supplier_signed_at) > now() - make_interval(months => $2)
              AND CASE WHEN $3::uuid IS NOT NULL THEN ti.catalog_item_id = $3
                       ELSE ti.cpv_code = $4 AND ti.unit_code = $5 END
         ) p
        WHERE p.quantity > 0
        ORDER BY p.signed_at DESC, p.contract_id`,
      [q.currency, CONTRACT_MONTHS, q.catalogItemId ?? null, q.cpv ?? null, q.unitCode ?? null],
    );
  }
}

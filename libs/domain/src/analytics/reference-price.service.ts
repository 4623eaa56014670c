import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Characteristic, keysReachingCity } from '@app/catalog';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors';
import { PriceMoments, PriceSource, ReferencePrice, referencePriceOf } from './reference-price';

export interface ReferencePriceQuery {
  /** A catalogue item; or a CPV code with a unit, narrowed to the items having every one of `characteristics`. */
  catalogItemId?: string;
  cpv?: string;
  unitCode?: string;
  characteristics?: Characteristic[];
  cityId: string;
  quantity: string;
  currency: string;
  /**
   * The VAT basis compared: with VAT (the default; offers with VAT included, and contracts, whose amounts are
   * what buyers pay) or without (offers priced without VAT alone). A net price beside a gross one is no market.
   */
  vatIncluded?: boolean;
}

/** Months of contracts that count as current market prices. */
const CONTRACT_MONTHS = 12;

/**
 * Sources a response lists of each kind: the cheapest offers and the newest contracts. The statistics count every
 * source; a common CPV code and unit in a big city can have thousands of offers.
 */
export const SOURCES_SHOWN = 50;

/**
 * Window aggregates over every row of a source query (computed before its LIMIT): the moments of `price`, an exact
 * numeric with at most 4 decimals, in 1/10^4 units.
 */
const momentColumns = (price: string) => `count(*) OVER () AS moment_count,
  round(sum(${price} * 10000) OVER ())::text AS moment_sum,
  round(sum((${price} * 10000) * (${price} * 10000)) OVER ())::text AS moment_squares`;

interface MomentRow {
  moment_count: string;
  moment_sum: string;
  moment_squares: string;
}

/** The moments a source query's rows carry, and the rows without them. */
function split(rows: (PriceSource & MomentRow)[]): { moments: PriceMoments; sources: PriceSource[] } {
  const [first] = rows;
  const moments = first
    ? {
        count: BigInt(first.moment_count),
        sum: BigInt(first.moment_sum),
        sumOfSquares: BigInt(first.moment_squares),
      }
    : { count: 0n, sum: 0n, sumOfSquares: 0n };
  const sources = rows.map(({ moment_count: _n, moment_sum: _s, moment_squares: _q, ...source }) => source);
  return { moments, sources };
}

/** The catalogue item a source came from, so the buyer sees why it was counted. */
const CATALOG_ITEM_JSON = `jsonb_build_object('id', ci.id, 'titleRu', ci.title_ru, 'titleEn', ci.title_en)`;

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
    const gross = q.vatIncluded ?? true;
    const offers = split(await this.offers(q, keysReachingCity(city), gross));
    const contracts = split(gross ? await this.contracts(q) : []);
    const moments = {
      count: offers.moments.count + contracts.moments.count,
      sum: offers.moments.sum + contracts.moments.sum,
      sumOfSquares: offers.moments.sumOfSquares + contracts.moments.sumOfSquares,
    };
    return referencePriceOf(moments, [...offers.sources, ...contracts.sources]);
  }

  /**
   * Active offers on the VAT basis asked for, delivering to the city, valid now, from active suppliers, for this
   * quantity: of the one item while it is active (an archived card's offers show nowhere), or of every active
   * item with the CPV code, the unit and the characteristics.
   */
  private offers(
    q: ReferencePriceQuery,
    areaKeys: string[],
    vatIncluded: boolean,
  ): Promise<(PriceSource & MomentRow)[]> {
    const params: unknown[] = [q.currency, q.quantity, areaKeys, vatIncluded];
    const items = q.catalogItemId
      ? `ci.id = $${params.push(q.catalogItemId)} AND ci.status = 'active'`
      : `ci.status = 'active' AND ci.classification_scheme = 'CPV'
         AND ci.classification_code = $${params.push(q.cpv)} AND ci.unit_code = $${params.push(q.unitCode)}
         ${characteristicsFilter('ci.characteristics', q.characteristics, params)}`;
    return this.dataSource.query<(PriceSource & MomentRow)[]>(
      `SELECT 'offer' AS kind, o.id, o.price::text AS "unitPrice", o.supplier_organization_id AS "supplierId",
              o.vat_included AS "vatIncluded", o.valid_until AS "validUntil", ${CATALOG_ITEM_JSON} AS "catalogItem",
              ${momentColumns('o.price')}
         FROM catalog_offers o
         JOIN catalog_items ci ON ci.id = o.item_id
         JOIN organizations s ON s.id = o.supplier_organization_id AND s.status = 'active'
        WHERE ${items} AND o.status = 'active' AND o.currency = $1 AND o.vat_included = $4
          AND o.valid_from <= now() AND o.valid_until > now()
          AND o.min_quantity <= $2::numeric AND o.delivery_area && $3::text[]
        ORDER BY o.price, o.id
        LIMIT ${SOURCES_SHOWN}`,
      params,
    );
  }

  /**
   * Items of deals signed in the last 12 months, any delivery city, in the unit asked for (a catalogue item's: the
   * unit of its card now): a joint purchase is one source, named by one of its signed contracts, at the award's
   * unit price for the whole quantity (its buyers' contracts split the award by shares of the estimate, not by
   * quantity; as separate sources they made one deal several prices, and three of them enough sources). Only the
   * item of a one-item lot has a unit price: a lot carries one price, and splitting it among several items
   * invented theirs (as in the price statistics, see PRICED_ITEMS). With
   * characteristics asked for, an item bought from the catalogue shows those of its catalogue item, and a free
   * item its own (a tender item has its own only when it has no catalogue item).
   */
  private contracts(q: ReferencePriceQuery): Promise<(PriceSource & MomentRow)[]> {
    const params: unknown[] = [q.currency, CONTRACT_MONTHS];
    const characteristics =
      'CASE WHEN ti.catalog_item_id IS NULL THEN ti.characteristics ELSE ci.characteristics END';
    // A card's unit may have been changed after its contracts (while it had no offer): their prices are per the
    // old unit, and are not counted.
    const items = q.catalogItemId
      ? `ti.catalog_item_id = $${params.push(q.catalogItemId)} AND ti.unit_code = ci.unit_code`
      : `ti.cpv_code = $${params.push(q.cpv)} AND ti.unit_code = $${params.push(q.unitCode)}
         ${characteristicsFilter(characteristics, q.characteristics, params)}`;
    return this.dataSource.query<(PriceSource & MomentRow)[]>(
      `SELECT 'contract' AS kind, p.contract_id AS id, round(p.value / p.quantity, 4)::text AS "unitPrice",
              p.city_id AS "cityId", p.signed_at AS "signedAt", p.quantity::text AS quantity,
              p.catalog_item AS "catalogItem", ${momentColumns('round(p.value / p.quantity, 4)')}
         FROM (
           SELECT DISTINCT ON (k.award_id, ti.id) k.id AS contract_id, ti.delivery_city_id AS city_id,
                  GREATEST(k.buyer_signed_at, k.supplier_signed_at) AS signed_at, ti.quantity,
                  a.amount AS value,
                  CASE WHEN ci.id IS NOT NULL THEN ${CATALOG_ITEM_JSON} END AS catalog_item
             FROM contracts k
             JOIN awards a ON a.id = k.award_id
             JOIN tenders t ON t.id = k.tender_id
             JOIN tender_items ti ON ti.lot_id = k.lot_id
             LEFT JOIN catalog_items ci ON ci.id = ti.catalog_item_id
            WHERE k.status = 'signed' AND t.currency = $1
              AND GREATEST(k.buyer_signed_at, k.supplier_signed_at) > now() - make_interval(months => $2)
              AND NOT EXISTS (SELECT 1 FROM tender_items x WHERE x.lot_id = ti.lot_id AND x.id <> ti.id)
              AND ${items}
            ORDER BY k.award_id, ti.id, k.id
         ) p
        WHERE p.quantity > 0
        ORDER BY p.signed_at DESC, p.contract_id
        LIMIT ${SOURCES_SHOWN}`,
      params,
    );
  }
}

/**
 * `AND` the jsonb `column` (an SQL expression) has each requested characteristic, its parameter appended to
 * `params`. Both sides go through characteristics_key() (see its migration): it is the expression of the GIN index
 * on catalogue items, and one function trims and lower-cases both, so the request and the items cannot disagree on
 * a letter's case. A NULL column (a catalogue item that is missing) fails the test.
 */
function characteristicsFilter(
  column: string,
  characteristics: Characteristic[] | undefined,
  params: unknown[],
): string {
  // Nothing rather than `@> '[]'`, which would tempt the planner into a full scan of the GIN index.
  if (!characteristics?.length) return '';
  const requested = characteristics.map(({ name, value, unit }) => ({ name, value, unit }));
  return `AND characteristics_key(${column}) @> characteristics_key($${params.push(JSON.stringify(requested))}::jsonb)`;
}

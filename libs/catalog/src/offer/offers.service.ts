import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { CatalogActor } from '../common/actor';
import { CatalogPage, decodeCatalogCursor, toCatalogPage } from '../common/cursor';
import { CatalogItemNotFoundError } from '../catalog-item/catalog-item.errors';
import { SearchIndexWriter } from '../search/search-index.writer';
import { DeliveryArea, describeDeliveryArea, keysReachingCity } from './delivery-area';
import { isIsoCurrency } from './money';
import { assertValidity, OfferInputChecker } from './offer-input.checker';
import {
  CatalogItemNotActiveError,
  CurrencyInvalidError,
  OfferNotFoundError,
  OfferNotOwnedError,
  OfferStatusConflictError,
  SupplierNotActiveError,
  UnknownCityError,
} from './offer.errors';
import { SupplierDirectory } from './supplier-directory';

export interface OfferInput {
  price: string;
  currency: string;
  vatIncluded: boolean;
  minQuantity?: string;
  deliveryArea: Partial<DeliveryArea>;
  leadTimeDays: number;
  /** ISO 8601; defaults to the database clock's now. */
  validFrom?: string;
  validUntil: string;
}

export type OfferPatch = Partial<OfferInput>;

/** An offer's status as of the database clock; unlisted: its item was archived or merged, so it shows nowhere. */
export const EFFECTIVE_OFFER_STATUSES = ['active', 'scheduled', 'expired', 'withdrawn', 'unlisted'] as const;
export type EffectiveOfferStatus = (typeof EFFECTIVE_OFFER_STATUSES)[number];

export interface OfferView {
  id: string;
  itemId: string;
  supplier: { id: string; legalName: string; cityId: string; country: string };
  price: string;
  currency: string;
  vatIncluded: boolean;
  minQuantity: string;
  deliveryArea: DeliveryArea;
  leadTimeDays: number;
  validFrom: Date;
  validUntil: Date;
  status: 'active' | 'withdrawn';
  effectiveStatus: EffectiveOfferStatus;
  createdAt: Date;
  updatedAt: Date;
}

interface OfferRow extends Omit<OfferView, 'supplier' | 'deliveryArea'> {
  supplierId: string;
  supplierName: string;
  supplierCityId: string;
  supplierCountry: string;
  deliveryArea: string[];
  cursorUs: string;
}

/** The offer as it is shown, with its status as of the database clock. */
const VIEW = `SELECT o.id, o.item_id AS "itemId", o.supplier_organization_id AS "supplierId",
    s.legal_name AS "supplierName", s.city_id AS "supplierCityId", s.country AS "supplierCountry",
    o.price::text AS price, o.currency, o.vat_included AS "vatIncluded",
    trim_scale(o.min_quantity)::text AS "minQuantity", o.delivery_area AS "deliveryArea",
    o.lead_time_days AS "leadTimeDays", o.valid_from AS "validFrom", o.valid_until AS "validUntil", o.status,
    CASE WHEN o.status = 'withdrawn' THEN 'withdrawn'
      WHEN (SELECT i.status FROM catalog_items i WHERE i.id = o.item_id) <> 'active' THEN 'unlisted'
      WHEN o.valid_until <= now() THEN 'expired'
      WHEN o.valid_from > now() THEN 'scheduled' ELSE 'active' END AS "effectiveStatus",
    o.created_at AS "createdAt", o.updated_at AS "updatedAt",
    (extract(epoch from o.created_at) * 1000000)::int8 AS "cursorUs"
  FROM catalog_offers o JOIN organizations s ON s.id = o.supplier_organization_id`;

/** What makes an offer count: active, valid now by the database clock, from an active supplier. */
export const CURRENT_OFFER = `o.status = 'active' AND o.valid_from <= now() AND o.valid_until > now()
  AND s.status = 'active'`;

/**
 * Supplier offers. Only active suppliers write, and only their own offers; expiry needs no job, since every
 * read compares the validity period with the database clock.
 */
@Injectable()
export class OffersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: SupplierDirectory,
    private readonly searchIndex: SearchIndexWriter,
    private readonly checker: OfferInputChecker,
  ) {}

  async create(actor: CatalogActor, itemId: string, input: OfferInput): Promise<OfferView> {
    await this.assertActiveSupplier(actor);
    const fields = await this.checker.check(input);
    const now = await this.now();
    const validFrom = fields.validFrom ?? now;
    assertValidity(validFrom, fields.validUntil as Date, now);
    return this.dataSource.transaction(async (m) => {
      const [item] = await m.query<{ status: string; public: boolean; proposer: string }[]>(
        `SELECT status, status = 'active' OR (status = 'archived' AND published_at IS NOT NULL) AS public,
                proposed_by_organization_id AS proposer
           FROM catalog_items WHERE id = $1 FOR SHARE`,
        [itemId],
      );
      // Another organisation's proposal, never published, is not found, as when it is read.
      if (!item || (!item.public && item.proposer !== actor.organizationId)) {
        throw new CatalogItemNotFoundError('No catalogue item with this id', { id: itemId });
      }
      if (item.status !== 'active') {
        throw new CatalogItemNotActiveError('Offers are taken only for active catalogue items', {
          status: item.status,
        });
      }
      const [row] = await m.query<{ id: string }[]>(
        `INSERT INTO catalog_offers (item_id, supplier_organization_id, created_by_user_id, price, currency,
           vat_included, min_quantity, delivery_area, lead_time_days, valid_from, valid_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [
          itemId,
          actor.organizationId,
          actor.userId,
          fields.price,
          fields.currency,
          fields.vatIncluded,
          fields.minQuantity ?? '1',
          fields.deliveryArea,
          fields.leadTimeDays,
          validFrom,
          fields.validUntil,
        ],
      );
      await this.searchIndex.refreshOffers(m, itemId);
      return this.view(m, (row as { id: string }).id);
    });
  }

  async update(actor: CatalogActor, offerId: string, patch: OfferPatch): Promise<OfferView> {
    const fields = await this.checker.check(patch);
    return this.dataSource.transaction(async (m) => {
      const offer = await this.lockOwn(m, actor, offerId);
      if (offer.status !== 'active') {
        throw new OfferStatusConflictError('A withdrawn offer cannot be changed', { status: offer.status });
      }
      // An offer on an archived card shows nowhere; it may be withdrawn, not renewed. (Not locked: an archiving
      // committing meanwhile leaves an offer that nothing reads, and a lock here would order against merges.)
      const [item] = await m.query<{ status: string }[]>(`SELECT status FROM catalog_items WHERE id = $1`, [
        offer.itemId,
      ]);
      if (item?.status !== 'active') {
        throw new CatalogItemNotActiveError('Offers are taken only for active catalogue items', {
          status: item?.status ?? null,
        });
      }
      const validFrom = fields.validFrom ?? offer.validFrom;
      const validUntil = fields.validUntil ?? offer.validUntil;
      if (fields.validFrom || fields.validUntil) assertValidity(validFrom, validUntil, await this.now(m));
      const sets: string[] = [];
      const params: unknown[] = [offerId];
      const columns: [keyof typeof fields, string][] = [
        ['price', 'price'],
        ['currency', 'currency'],
        ['vatIncluded', 'vat_included'],
        ['minQuantity', 'min_quantity'],
        ['deliveryArea', 'delivery_area'],
        ['leadTimeDays', 'lead_time_days'],
        ['validFrom', 'valid_from'],
        ['validUntil', 'valid_until'],
      ];
      for (const [field, column] of columns) {
        if (fields[field] === undefined) continue;
        params.push(fields[field]);
        sets.push(`${column} = $${params.length}`);
      }
      if (sets.length > 0) {
        await m.query(
          `UPDATE catalog_offers SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`,
          params,
        );
        await this.searchIndex.refreshOffers(m, offer.itemId);
      }
      return this.view(m, offerId);
    });
  }

  async withdraw(actor: CatalogActor, offerId: string): Promise<OfferView> {
    return this.dataSource.transaction(async (m) => {
      const offer = await this.lockOwn(m, actor, offerId);
      if (offer.status !== 'active') {
        throw new OfferStatusConflictError('The offer is already withdrawn', { status: offer.status });
      }
      await m.query(`UPDATE catalog_offers SET status = 'withdrawn', updated_at = now() WHERE id = $1`, [
        offerId,
      ]);
      await this.searchIndex.refreshOffers(m, offer.itemId);
      return this.view(m, offerId);
    });
  }

  /**
   * The current offers of an active item, cheapest first within each currency; optionally only those that
   * deliver to a city or are in one currency.
   */
  async listForItem(
    itemId: string,
    filter: { deliveryCityId?: string; currency?: string; limit: number; cursor?: string },
  ): Promise<CatalogPage<OfferView>> {
    const [item] = await this.dataSource.query<{ status: string }[]>(
      `SELECT status FROM catalog_items WHERE id = $1`,
      [itemId],
    );
    if (!item || item.status !== 'active') {
      throw new CatalogItemNotFoundError('No active catalogue item with this id', { id: itemId });
    }
    const params: unknown[] = [itemId, filter.limit + 1];
    const where = [`o.item_id = $1`, CURRENT_OFFER];
    if (filter.currency) {
      if (!isIsoCurrency(filter.currency)) {
        throw new CurrencyInvalidError('currency must be an ISO 4217 code', { field: 'currency' });
      }
      params.push(filter.currency);
      where.push(`o.currency = $${params.length}`);
    }
    if (filter.deliveryCityId) {
      const city = await this.directory.city(filter.deliveryCityId);
      if (!city)
        throw new UnknownCityError('deliveryCityId is not a member city', { field: 'deliveryCityId' });
      params.push(keysReachingCity(city));
      where.push(`o.delivery_area && $${params.length}::text[]`);
    }
    if (filter.cursor) {
      const [currency, price, id] = decodeCatalogCursor(filter.cursor, 'item-offers', [
        'code',
        'decimal',
        'uuid',
      ]);
      params.push(currency, price, id);
      const n = params.length;
      where.push(`(o.currency, o.price, o.id) > ($${n - 2}::bpchar, $${n - 1}::numeric, $${n}::uuid)`);
    }
    const rows: OfferRow[] = await this.dataSource.query(
      `${VIEW} WHERE ${where.join(' AND ')} ORDER BY o.currency, o.price, o.id LIMIT $2`,
      params,
    );
    return toCatalogPage(rows.map(toView), filter.limit, 'item-offers', (o) => [o.currency, o.price, o.id]);
  }

  /** A supplier's own offers, newest first, in any state. */
  async listOwn(
    actor: CatalogActor,
    filter: { status?: EffectiveOfferStatus; limit: number; cursor?: string },
  ): Promise<CatalogPage<OfferView>> {
    const params: unknown[] = [actor.organizationId, filter.limit + 1];
    let where = `o.supplier_organization_id = $1`;
    if (filter.cursor) {
      const [us, id] = decodeCatalogCursor(filter.cursor, 'own-offers', ['bigint', 'uuid']);
      params.push(us, id);
      where += ` AND (o.created_at, o.id) < (timestamptz 'epoch' + $3 * interval '1 microsecond', $4::uuid)`;
    }
    const rows: OfferRow[] = await this.dataSource.query(
      `SELECT * FROM (${VIEW} WHERE ${where} ORDER BY o.created_at DESC, o.id DESC) v
       WHERE ${filter.status ? `v."effectiveStatus" = $${params.push(filter.status)}` : 'true'} LIMIT $2`,
      params,
    );
    const keys = new Map(rows.map((r) => [r.id, Number(r.cursorUs)]));
    return toCatalogPage(rows.map(toView), filter.limit, 'own-offers', (o) => [keys.get(o.id) ?? 0, o.id]);
  }

  private async assertActiveSupplier(actor: CatalogActor, m?: EntityManager): Promise<void> {
    const org = await this.directory.organization(actor.organizationId, m);
    if (!org || org.kind !== 'supplier' || org.status !== 'active') {
      throw new SupplierNotActiveError('Only an active supplier may offer prices', {
        status: org?.status ?? null,
      });
    }
  }

  /** The offer, row-locked; it must belong to the caller's organisation, which must be an active supplier. */
  private async lockOwn(
    m: EntityManager,
    actor: CatalogActor,
    offerId: string,
  ): Promise<{ itemId: string; status: string; validFrom: Date; validUntil: Date }> {
    const [offer] = await m.query<
      { itemId: string; supplierId: string; status: string; validFrom: Date; validUntil: Date }[]
    >(
      `SELECT item_id AS "itemId", supplier_organization_id AS "supplierId", status, valid_from AS "validFrom",
         valid_until AS "validUntil" FROM catalog_offers WHERE id = $1 FOR UPDATE`,
      [offerId],
    );
    if (!offer) throw new OfferNotFoundError('No offer with this id', { id: offerId });
    if (offer.supplierId !== actor.organizationId) {
      throw new OfferNotOwnedError('A supplier may change only its own offers');
    }
    await this.assertActiveSupplier(actor, m);
    return offer;
  }

  private async now(m: EntityManager = this.dataSource.manager): Promise<Date> {
    const [row] = await m.query<{ now: Date }[]>(`SELECT now() AS now`);
    return (row as { now: Date }).now;
  }

  private async view(m: EntityManager, id: string): Promise<OfferView> {
    const [row] = await m.query<OfferRow[]>(`${VIEW} WHERE o.id = $1`, [id]);
    if (!row) throw new OfferNotFoundError('No offer with this id', { id });
    return toView(row);
  }
}

function toView(row: OfferRow): OfferView {
  const {
    supplierId,
    supplierName,
    supplierCityId,
    supplierCountry,
    deliveryArea,
    cursorUs: _,
    ...rest
  } = row;
  return {
    ...rest,
    supplier: { id: supplierId, legalName: supplierName, cityId: supplierCityId, country: supplierCountry },
    deliveryArea: describeDeliveryArea(deliveryArea),
  };
}

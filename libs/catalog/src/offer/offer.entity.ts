import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { CatalogItem } from '../catalog-item/catalog-item.entity';

export const OFFER_STATUSES = ['active', 'withdrawn'] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

/**
 * One supplier's price for a catalogue item. An offer counts (search, best price) only while it is active,
 * inside its validity period by the database clock, and its supplier is active: no job has to expire it.
 */
@Entity({ name: 'catalog_offers' })
@Check('ck_catalog_offers_status', `"status" IN ('active', 'withdrawn')`)
@Check('ck_catalog_offers_price', `"price" > 0 AND "price" <= 1000000000000`)
@Check('ck_catalog_offers_currency', `"currency" ~ '^[A-Z]{3}$'`)
@Check('ck_catalog_offers_min_quantity', `"min_quantity" > 0`)
@Check('ck_catalog_offers_lead_time', `"lead_time_days" BETWEEN 0 AND 3650`)
@Check('ck_catalog_offers_validity', `"valid_until" > "valid_from"`)
@Check('ck_catalog_offers_area', `cardinality("delivery_area") > 0`)
// (item_id, currency, price) covering the columns a best-offer lookup reads: defined in the migration.
@Index('ix_catalog_offers_item_price', { synchronize: false })
@Index('ix_catalog_offers_supplier_created', ['supplierOrganizationId', 'createdAt', 'id'])
// GIN over delivery_area (cities, regions, countries as keys): defined in the migration.
@Index('ix_catalog_offers_delivery_area', { synchronize: false })
export class Offer {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_catalog_offers' })
  id: string;

  @ForeignKey(() => CatalogItem, { name: 'fk_catalog_offers_item', onDelete: 'RESTRICT' })
  @Column({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @ForeignKey('organizations', { name: 'fk_catalog_offers_supplier', onDelete: 'RESTRICT' })
  @Column({ name: 'supplier_organization_id', type: 'uuid' })
  supplierOrganizationId: string;

  @Column({ name: 'created_by_user_id', type: 'uuid' })
  createdByUserId: string;

  /** Decimal string with two decimals; never a float. */
  @Column({ type: 'numeric', precision: 15, scale: 2 })
  price: string;

  /** ISO 4217. */
  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'vat_included', type: 'boolean' })
  vatIncluded: boolean;

  @Column({ name: 'min_quantity', type: 'numeric', precision: 14, scale: 3, default: 1 })
  minQuantity: string;

  /** Where the supplier delivers, as keys: `c:<city id>`, `r:<country>:<region>`, `k:<country>`. */
  @Column({ name: 'delivery_area', type: 'text', array: true })
  deliveryArea: string[];

  @Column({ name: 'lead_time_days', type: 'integer' })
  leadTimeDays: number;

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom: Date;

  @Column({ name: 'valid_until', type: 'timestamptz' })
  validUntil: Date;

  @Column({ type: 'text', default: 'active' })
  status: OfferStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

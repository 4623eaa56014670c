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
import { Classification } from '../classification/classification.entity';

export const CATALOG_ITEM_STATUSES = ['draft', 'pending', 'active', 'archived'] as const;
export type CatalogItemStatus = (typeof CATALOG_ITEM_STATUSES)[number];

export interface Characteristic {
  name: string;
  value: string;
  unit?: string;
}

export interface DocumentLink {
  title: string;
  url: string;
}

/**
 * A standard unit of goods or services (like the СТЕ of municipal supplier portals). Proposed by a supplier
 * or a buyer, moderated by an operator; only active items are searchable and take offers.
 * Invariant: an item with mergedIntoId is archived and its survivor is not itself merged.
 */
@Entity({ name: 'catalog_items' })
@Check('ck_catalog_items_status', `"status" IN ('draft', 'pending', 'active', 'archived')`)
@Check('ck_catalog_items_merged_archived', `"merged_into_id" IS NULL OR "status" = 'archived'`)
@ForeignKey(() => Classification, ['classificationScheme', 'classificationCode'], ['scheme', 'code'], {
  name: 'fk_catalog_items_classification',
  onDelete: 'RESTRICT',
})
@Index('ix_catalog_items_status_created', ['status', 'createdAt', 'id'])
@Index('ix_catalog_items_proposer_created', ['proposedByOrganizationId', 'createdAt', 'id'])
// The reference price looks active items up by CPV code and unit, then by their characteristics; the GIN over
// characteristics_key(characteristics), the normalised form it compares, is defined in the migration.
@Index('ix_catalog_items_active_cpv_unit', ['classificationCode', 'unitCode'], {
  where: `"status" = 'active'`,
})
@Index('ix_catalog_items_characteristics_key', { synchronize: false })
export class CatalogItem {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_catalog_items' })
  id: string;

  @Column({ type: 'text' })
  status: CatalogItemStatus;

  @Column({ name: 'title_ru', type: 'text' })
  titleRu: string;

  @Column({ name: 'title_en', type: 'text', nullable: true })
  titleEn: string | null;

  @Column({ name: 'description_ru', type: 'text' })
  descriptionRu: string;

  @Column({ name: 'description_en', type: 'text', nullable: true })
  descriptionEn: string | null;

  @Column({ name: 'classification_scheme', type: 'text' })
  classificationScheme: string;

  @Column({ name: 'classification_code', type: 'text' })
  classificationCode: string;

  /** UN/ECE Recommendation 20 code. */
  @Column({ name: 'unit_code', type: 'text' })
  unitCode: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  characteristics: Characteristic[];

  @Column({ name: 'image_urls', type: 'jsonb', default: () => `'[]'` })
  imageUrls: string[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  documents: DocumentLink[];

  @ForeignKey('organizations', { name: 'fk_catalog_items_proposer', onDelete: 'RESTRICT' })
  @Column({ name: 'proposed_by_organization_id', type: 'uuid' })
  proposedByOrganizationId: string;

  @Column({ name: 'proposed_by_user_id', type: 'uuid' })
  proposedByUserId: string;

  /** Set when an operator merged this duplicate into a surviving item. */
  @Index('ix_catalog_items_merged_into')
  @ForeignKey(() => CatalogItem, { name: 'fk_catalog_items_merged_into', onDelete: 'RESTRICT' })
  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId: string | null;

  /** The operator's reason for the last rejection; cleared when the item is approved. */
  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason: string | null;

  /** Incremented by every change; the history is in catalog_item_versions. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

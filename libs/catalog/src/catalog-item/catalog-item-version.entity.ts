import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { CatalogItem } from './catalog-item.entity';

export const CATALOG_ITEM_ACTIONS = [
  'proposed',
  'edited',
  'submitted',
  'approved',
  'rejected',
  'merged',
  'archived',
] as const;
export type CatalogItemAction = (typeof CATALOG_ITEM_ACTIONS)[number];

/** A field's value before and after a change. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/**
 * One change of a catalogue item: who (user, organisation, role), when (database clock), what (the fields
 * before and after). Append-only: written in the transaction of the change, never updated.
 */
@Entity({ name: 'catalog_item_versions' })
@Check(
  'ck_catalog_item_versions_action',
  `"action" IN ('proposed', 'edited', 'submitted', 'approved', 'rejected', 'merged', 'archived')`,
)
export class CatalogItemVersion {
  @ForeignKey(() => CatalogItem, { name: 'fk_catalog_item_versions_item', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'item_id', type: 'uuid', primaryKeyConstraintName: 'pk_catalog_item_versions' })
  itemId: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_catalog_item_versions' })
  version: number;

  @Column({ type: 'text' })
  action: CatalogItemAction;

  @Column({ name: 'actor_user_id', type: 'uuid' })
  actorUserId: string;

  @Column({ name: 'actor_organization_id', type: 'uuid' })
  actorOrganizationId: string;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  changes: FieldChanges;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

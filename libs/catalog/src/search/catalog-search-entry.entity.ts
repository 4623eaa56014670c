import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { CatalogItem } from '../catalog-item/catalog-item.entity';

/**
 * The search row of an active catalogue item: a narrow table, so that a search touches few pages.
 * Invariant: a row exists exactly while its item is active; it is written in the transaction that changes
 * the item.
 */
@Entity({ name: 'catalog_search_entries' })
@Index('ix_catalog_search_entries_published', ['publishedAt', 'itemId'])
// GIN over document, text_pattern_ops over cpv_code (CPV subtrees): defined in the migration.
@Index('ix_catalog_search_entries_document', { synchronize: false })
@Index('ix_catalog_search_entries_cpv', { synchronize: false })
export class CatalogSearchEntry {
  @ForeignKey(() => CatalogItem, { name: 'fk_catalog_search_entries_item', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'item_id', type: 'uuid', primaryKeyConstraintName: 'pk_catalog_search_entries' })
  itemId: string;

  /**
   * Russian text through the 'russian' configuration, English through 'english'; titles weigh most. Plus the
   * offer keys as lexemes without position (see offerKeys).
   */
  @Column({ type: 'tsvector', select: false })
  document: string;

  @Column({ name: 'cpv_code', type: 'text' })
  cpvCode: string;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt: Date;

  /**
   * `<currency>`, `<currency>|<delivery key>`, `<currency>|S:<supplier country>`, `<currency>|SC:<supplier
   * city>` and `<currency>|P:<price band>` of the item's active, unexpired offers. A superset of what counts
   * now: searches check offers exactly after it. Rewritten with every offer write of the item. The keys are also
   * lexemes of `document` (kept so by a trigger), where a word search meets them in the GIN index; no index of
   * its own: a city's keys match most items, and a bitmap over them alone costs more than the row filter.
   */
  @Column({ name: 'offer_keys', type: 'text', array: true, default: () => `'{}'`, select: false })
  offerKeys: string[];
}

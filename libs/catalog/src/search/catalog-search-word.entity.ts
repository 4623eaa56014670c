import { Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Words seen in titles of active items. A misspelt query word is replaced by its nearest words here
 * (pg_trgm), so typo tolerance costs one small index probe instead of a trigram scan of every title.
 */
@Entity({ name: 'catalog_search_words' })
// GiST trigram index for nearest-word lookups: defined in the migration.
@Index('ix_catalog_search_words_trgm', { synchronize: false })
export class CatalogSearchWord {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_catalog_search_words' })
  word: string;
}

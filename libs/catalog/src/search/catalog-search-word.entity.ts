import { Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Words seen in titles of active items. A misspelt query word is replaced by its nearest words here
 * (pg_trgm), so typo tolerance costs one small index probe instead of a trigram scan of every title.
 */
@Entity({ name: 'catalog_search_words' })
// GiST trigram index for nearest-word lookups, btree over the word's lexeme: defined in the migrations.
@Index('ix_catalog_search_words_trgm', { synchronize: false })
@Index('ix_catalog_search_words_lexeme', { synchronize: false })
export class CatalogSearchWord {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_catalog_search_words' })
  word: string;
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue search treats a query word as misspelt when no title has it. An inflected form of a title's
 * word ("картридж" where titles say "картриджи") was taken for a typo: it was answered with suggestions and
 * cost a trigram search. A word is now known when a title word has its lexeme; this index finds that.
 * The 'russian' configuration stems Cyrillic words in Russian and Latin ones in English.
 */
export class SearchWordLexemes1764910000000 implements MigrationInterface {
  name = 'SearchWordLexemes1764910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_catalog_search_words_lexeme" ON "catalog_search_words"
      ((to_tsvector('russian'::regconfig, "word")))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_catalog_search_words_lexeme"`);
  }
}

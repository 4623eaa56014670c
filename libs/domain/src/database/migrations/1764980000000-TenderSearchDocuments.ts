import type { MigrationInterface, QueryRunner } from 'typeorm';

const DOCUMENTS = `to_tsvector('russian', t.title || ' ' || t.description), to_tsvector('english', t.title || ' ' || t.description)`;

/**
 * The word search of tenders moves from expression indexes on tenders to a table of its own
 * (tender_search_documents), kept by triggers. Every change of a tender's status updated all its indexes (the
 * status is indexed, so the update cannot be HOT), and with them computed two text search vectors and wrote two
 * GIN entries (the closing-storm bench's one-statement baseline took 3.3-3.6 s instead of 4.0-4.8 s without
 * them). Also drops ix_tenders_organizer, which ix_tenders_organizer_created (organizer_id first) already serves.
 */
export class TenderSearchDocuments1764980000000 implements MigrationInterface {
  name = 'TenderSearchDocuments1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "tender_search_documents" ("tender_id" uuid NOT NULL, "document_ru" tsvector NOT NULL,
         "document_en" tsvector NOT NULL, CONSTRAINT "pk_tender_search_documents" PRIMARY KEY ("tender_id"),
         CONSTRAINT "fk_tender_search_documents_tender" FOREIGN KEY ("tender_id") REFERENCES "tenders"("id")
           ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await q.query(
      `INSERT INTO "tender_search_documents" ("tender_id", "document_ru", "document_en")
       SELECT t.id, ${DOCUMENTS} FROM "tenders" t`,
    );
    // Written only when a tender is created or retitled: no pending list, which every search would read.
    await q.query(
      `CREATE INDEX "ix_tender_search_documents_ru" ON "tender_search_documents" USING gin ("document_ru")
         WITH (fastupdate = off)`,
    );
    await q.query(
      `CREATE INDEX "ix_tender_search_documents_en" ON "tender_search_documents" USING gin ("document_en")
         WITH (fastupdate = off)`,
    );
    await q.query(`
      CREATE FUNCTION tender_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO tender_search_documents (tender_id, document_ru, document_en)
        SELECT t.id, ${DOCUMENTS} FROM (SELECT NEW.id, NEW.title, NEW.description) AS t(id, title, description)
        ON CONFLICT (tender_id) DO UPDATE
          SET document_ru = EXCLUDED.document_ru, document_en = EXCLUDED.document_en;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER tenders_search_document_inserted AFTER INSERT ON tenders
         FOR EACH ROW EXECUTE FUNCTION tender_search_document()`,
    );
    await q.query(
      `CREATE TRIGGER tenders_search_document_changed AFTER UPDATE OF title, description ON tenders
         FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.description IS DISTINCT FROM NEW.description)
         EXECUTE FUNCTION tender_search_document()`,
    );
    await q.query(`DROP INDEX "ix_tenders_search_ru"`);
    await q.query(`DROP INDEX "ix_tenders_search_en"`);
    await q.query(`DROP INDEX "ix_tenders_organizer"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_tenders_organizer" ON "tenders" ("organizer_id")`);
    await q.query(
      `CREATE INDEX "ix_tenders_search_en" ON "tenders" USING gin (to_tsvector('english', "title" || ' ' || "description"))`,
    );
    await q.query(
      `CREATE INDEX "ix_tenders_search_ru" ON "tenders" USING gin (to_tsvector('russian', "title" || ' ' || "description"))`,
    );
    await q.query(`DROP TRIGGER tenders_search_document_changed ON tenders`);
    await q.query(`DROP TRIGGER tenders_search_document_inserted ON tenders`);
    await q.query(`DROP FUNCTION tender_search_document()`);
    await q.query(`DROP TABLE "tender_search_documents"`);
  }
}

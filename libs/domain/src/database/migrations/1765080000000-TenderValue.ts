import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A tender's value (the sum of the estimates of its lots that are not cancelled) is stored on the tender and
 * indexed, so the value filters of the tender list and the auditors' deal search read an index instead of
 * summing the lots of every tender they pass. Triggers on lots keep it: one per statement for lots added or
 * removed (a draft's lots come in one statement), one per row when an estimate changes or a lot is cancelled.
 * A closing's change of lot status to unsuccessful or complete does not touch it. The column has no precision:
 * an amendment changes estimates one lot at a time, and a sum on the way may pass what numeric(15,2) holds.
 */
export class TenderValue1765080000000 implements MigrationInterface {
  name = 'TenderValue1765080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "tenders" ADD "value" numeric NOT NULL DEFAULT 0`);
    await q.query(
      `UPDATE "tenders" t SET "value" = s.total
         FROM (SELECT tender_id, sum(estimate) AS total FROM lots WHERE status <> 'cancelled' GROUP BY tender_id) s
        WHERE s.tender_id = t.id`,
    );
    // Lots added (NEW TABLE) or removed (OLD TABLE), both named moved: their estimates added or taken away.
    await q.query(`
      CREATE FUNCTION tender_value_lots_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE tenders t SET value = t.value + s.total
          FROM (SELECT tender_id, sum(estimate) * CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END AS total
                  FROM moved WHERE status <> 'cancelled' GROUP BY tender_id) s
         WHERE t.id = s.tender_id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION tender_value_lot_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE tenders SET value = value
            - CASE WHEN OLD.status = 'cancelled' THEN 0 ELSE OLD.estimate END
            + CASE WHEN NEW.status = 'cancelled' THEN 0 ELSE NEW.estimate END
         WHERE id = NEW.tender_id;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER lots_tender_value_added AFTER INSERT ON lots REFERENCING NEW TABLE AS moved
         FOR EACH STATEMENT EXECUTE FUNCTION tender_value_lots_moved()`,
    );
    await q.query(
      `CREATE TRIGGER lots_tender_value_removed AFTER DELETE ON lots REFERENCING OLD TABLE AS moved
         FOR EACH STATEMENT EXECUTE FUNCTION tender_value_lots_moved()`,
    );
    await q.query(
      `CREATE TRIGGER lots_tender_value_changed AFTER UPDATE OF estimate, status ON lots
         FOR EACH ROW WHEN (OLD.estimate IS DISTINCT FROM NEW.estimate
           OR (OLD.status = 'cancelled') IS DISTINCT FROM (NEW.status = 'cancelled'))
         EXECUTE FUNCTION tender_value_lot_changed()`,
    );
    await q.query(`CREATE INDEX "ix_tenders_value" ON "tenders" ("value")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER lots_tender_value_changed ON lots`);
    await q.query(`DROP TRIGGER lots_tender_value_removed ON lots`);
    await q.query(`DROP TRIGGER lots_tender_value_added ON lots`);
    await q.query(`DROP FUNCTION tender_value_lot_changed()`);
    await q.query(`DROP FUNCTION tender_value_lots_moved()`);
    await q.query(`ALTER TABLE "tenders" DROP COLUMN "value"`);
  }
}

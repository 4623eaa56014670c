import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Procurement: tenders with lots, items and joint buyers, questions, amendments, sealed bids, awards,
 * contracts, and the append-only deal events written with every change.
 */
export class Procurement1764300000000 implements MigrationInterface {
  name = 'Procurement1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "awards" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "bid_id" uuid NOT NULL, "supplier_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'pending', "amount" numeric(15,2) NOT NULL, "rank" integer NOT NULL, "reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "decided_at" TIMESTAMP WITH TIME ZONE, "standstill_end" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_bc3f6adc548ff46c76c03e06377" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_awards_supplier" ON "awards" ("supplier_id")`);
    await q.query(`CREATE INDEX "ix_awards_tender" ON "awards" ("tender_id")`);
    await q.query(
      `CREATE UNIQUE INDEX "uq_awards_lot_live" ON "awards" ("lot_id") WHERE "status" IN ('pending', 'active')`,
    );
    await q.query(
      `CREATE TABLE "contracts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "award_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "supplier_id" uuid NOT NULL, "amount" numeric(15,2) NOT NULL, "status" text NOT NULL DEFAULT 'pending', "buyer_signed_at" TIMESTAMP WITH TIME ZONE, "supplier_signed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2c7b8f3a7b1acdd49497d83d0fb" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_contracts_supplier" ON "contracts" ("supplier_id")`);
    await q.query(`CREATE INDEX "ix_contracts_tender" ON "contracts" ("tender_id")`);
    await q.query(`CREATE UNIQUE INDEX "uq_contracts_award_buyer" ON "contracts" ("award_id", "buyer_id")`);
    await q.query(
      `CREATE TABLE "bids" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "supplier_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'active', "commitment" character(64) NOT NULL, "salt" text NOT NULL, "content" jsonb NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sequence" bigint NOT NULL, "idempotency_key" text, "opened_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_bids_status" CHECK ("status" IN ('active', 'pending_confirmation', 'withdrawn', 'opened', 'dropped')), CONSTRAINT "PK_7950d066d322aab3a488ac39fe5" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_bids_supplier_submitted" ON "bids" ("supplier_id", "submitted_at", "id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_bids_supplier_idempotency" ON "bids" ("supplier_id", "idempotency_key")`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_bids_tender_supplier" ON "bids" ("tender_id", "supplier_id")`);
    await q.query(
      `CREATE TABLE "bid_lots" ("bid_id" uuid NOT NULL, "lot_id" uuid NOT NULL, "price" numeric(15,2) NOT NULL, "evaluated_price" numeric(15,2), "rank" integer, "preference_applied" boolean, CONSTRAINT "PK_e45589c65321915e34837f8a1b7" PRIMARY KEY ("bid_id", "lot_id"))`,
    );
    await q.query(`CREATE INDEX "ix_bid_lots_lot" ON "bid_lots" ("lot_id")`);
    await q.query(
      `CREATE TABLE "deal_events" ("id" BIGSERIAL NOT NULL, "type" text NOT NULL, "tender_id" uuid, "actor_id" uuid, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "payload" jsonb NOT NULL, "sealed_payload" jsonb, "txid" bigint NOT NULL, CONSTRAINT "PK_2f01d0518eac053189e8c044a55" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_deal_events_txid" ON "deal_events" ("txid", "id")`);
    await q.query(`CREATE INDEX "ix_deal_events_tender" ON "deal_events" ("tender_id", "id")`);
    await q.query(
      `CREATE TABLE "tenders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text, "ocid" text, "title" text NOT NULL, "description" text NOT NULL DEFAULT '', "status" text NOT NULL DEFAULT 'draft', "method" text NOT NULL DEFAULT 'open', "currency" character(3) NOT NULL, "min_bids" integer NOT NULL DEFAULT '1', "award_criteria" text NOT NULL DEFAULT 'lowestPrice', "preference_scope" text, "preference_percent" numeric(5,2), "organizer_id" uuid NOT NULL, "enquiry_end" TIMESTAMP WITH TIME ZONE, "tender_start" TIMESTAMP WITH TIME ZONE, "tender_end" TIMESTAMP WITH TIME ZONE NOT NULL, "clarifications_until" TIMESTAMP WITH TIME ZONE, "published_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "status_reason" text, "amendment_count" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_tenders_preference_percent" CHECK ("preference_percent" IS NULL OR ("preference_percent" >= 0 AND "preference_percent" <= 25)), CONSTRAINT "ck_tenders_currency" CHECK ("currency" ~ '^[A-Z]{3}$'), CONSTRAINT "PK_13fdd4229818a97b5102199463b" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_tenders_number" ON "tenders" ("number")`);
    await q.query(`CREATE UNIQUE INDEX "uq_tenders_ocid" ON "tenders" ("ocid")`);
    await q.query(`CREATE INDEX "ix_tenders_organizer" ON "tenders" ("organizer_id")`);
    await q.query(
      `CREATE INDEX "ix_tenders_organizer_created" ON "tenders" ("organizer_id", "created_at", "id")`,
    );
    await q.query(`CREATE INDEX "ix_tenders_status_published" ON "tenders" ("status", "published_at", "id")`);
    await q.query(
      `CREATE INDEX "ix_tenders_closing_due" ON "tenders" ("tender_end") WHERE "status" = 'active.tendering'`,
    );
    await q.query(
      `CREATE TABLE "tender_buyers" ("tender_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, CONSTRAINT "PK_a28852a88a8e7e00e9b3638e005" PRIMARY KEY ("tender_id", "buyer_id"))`,
    );
    await q.query(`CREATE INDEX "ix_tender_buyers_buyer" ON "tender_buyers" ("buyer_id")`);
    await q.query(
      `CREATE TABLE "lots" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "number" integer NOT NULL, "title" text NOT NULL, "estimate" numeric(15,2) NOT NULL, "status" text NOT NULL DEFAULT 'active', "status_reason" text, CONSTRAINT "PK_2bb990a4015865cb1daa1d22fd9" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_lots_tender_number" ON "lots" ("tender_id", "number")`);
    await q.query(
      `CREATE TABLE "lot_buyer_shares" ("lot_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "amount" numeric(15,2) NOT NULL, CONSTRAINT "PK_eb25343f61ca38fea4c3f663088" PRIMARY KEY ("lot_id", "buyer_id"))`,
    );
    await q.query(
      `CREATE TABLE "tender_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "lot_id" uuid NOT NULL, "tender_id" uuid NOT NULL, "catalog_item_id" uuid, "description" text NOT NULL, "cpv_code" text NOT NULL, "unit_code" text NOT NULL, "quantity" numeric(18,3) NOT NULL, "delivery_city_id" uuid NOT NULL, "delivery_date" date NOT NULL, CONSTRAINT "PK_f28a6f23652dd7fd9c60a8b672c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_tender_items_cpv" ON "tender_items" ("cpv_code")`);
    await q.query(`CREATE INDEX "ix_tender_items_lot" ON "tender_items" ("lot_id")`);
    await q.query(
      `CREATE TABLE "tender_item_quantities" ("item_id" uuid NOT NULL, "buyer_id" uuid NOT NULL, "quantity" numeric(18,3) NOT NULL, CONSTRAINT "PK_8265e94438f813eabdd55f93b88" PRIMARY KEY ("item_id", "buyer_id"))`,
    );
    await q.query(
      `CREATE TABLE "tender_documents" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "title" text NOT NULL, "url" text NOT NULL, "sha256" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_19a19622716a9ad5349f195e582" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_tender_documents_tender" ON "tender_documents" ("tender_id")`);
    await q.query(
      `CREATE TABLE "tender_questions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "lot_id" uuid, "asker_id" uuid NOT NULL, "text" text NOT NULL, "answer" text, "asked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "answered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_57982e7b0f351a4426b7719864a" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_tender_questions_unanswered" ON "tender_questions" ("tender_id") WHERE "answered_at" IS NULL`,
    );
    await q.query(
      `CREATE INDEX "ix_tender_questions_tender" ON "tender_questions" ("tender_id", "asked_at")`,
    );
    await q.query(
      `CREATE TABLE "tender_amendments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tender_id" uuid NOT NULL, "number" integer NOT NULL, "rationale" text NOT NULL, "changes" jsonb NOT NULL, "terms_changed" boolean NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1b1c715beec867a704d72ff7dc9" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "uq_tender_amendments_number" ON "tender_amendments" ("tender_id", "number")`,
    );
    await q.query(`CREATE SEQUENCE "tender_number_seq"`);
    await q.query(`CREATE SEQUENCE "bid_sequence"`);
    // Word search over published tenders in Russian and English (declared with synchronize: false).
    await q.query(
      `CREATE INDEX "ix_tenders_search_ru" ON "tenders" USING gin (to_tsvector('russian', "title" || ' ' || "description"))`,
    );
    await q.query(
      `CREATE INDEX "ix_tenders_search_en" ON "tenders" USING gin (to_tsvector('english', "title" || ' ' || "description"))`,
    );
    await q.query(
      `CREATE INDEX "ix_tender_items_cpv_pattern" ON "tender_items" ("cpv_code" text_pattern_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'deal_events',
      'contracts',
      'awards',
      'bid_lots',
      'bids',
      'tender_amendments',
      'tender_questions',
      'tender_documents',
      'tender_item_quantities',
      'tender_items',
      'lot_buyer_shares',
      'lots',
      'tender_buyers',
      'tenders',
    ]) {
      await q.query(`DROP TABLE "${table}"`);
    }
    await q.query(`DROP SEQUENCE "bid_sequence"`);
    await q.query(`DROP SEQUENCE "tender_number_seq"`);
  }
}

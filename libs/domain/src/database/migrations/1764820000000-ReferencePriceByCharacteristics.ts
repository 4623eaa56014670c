import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reference price of a CPV code, a unit and characteristics: active catalogue items are found by their CPV
 * code and unit, then by containment of their characteristics, compared as characteristics_key() normalises them.
 */
export class ReferencePriceByCharacteristics1764820000000 implements MigrationInterface {
  name = 'ReferencePriceByCharacteristics1764820000000';

  async up(q: QueryRunner): Promise<void> {
    // Trimmed (no-break spaces too: they come with text pasted from documents) and lower-cased.
    await q.query(
      `CREATE FUNCTION characteristic_text(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
         SELECT lower(regexp_replace(t, '^[\\s\\u00a0]+|[\\s\\u00a0]+$', '', 'g'))
       $$`,
    );
    // [{ name, value, unit? }] with every text normalised and a blank unit dropped, so that `@>` means "has each
    // requested characteristic" and a request without a unit accepts any. The request goes through it as well, so
    // one collation lower-cases both sides. IMMUTABLE (for the index) holds: jsonb_build_object and jsonb_agg
    // are STABLE only because they accept any type, and here they see text.
    await q.query(
      `CREATE FUNCTION characteristics_key(characteristics jsonb) RETURNS jsonb
         LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
         SELECT coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                  'name', characteristic_text(c->>'name'),
                  'value', characteristic_text(c->>'value'),
                  'unit', nullif(characteristic_text(c->>'unit'), '')))), '[]'::jsonb)
           FROM jsonb_array_elements(characteristics) c
       $$`,
    );
    // Only active items take part (declared with synchronize: false in the entity).
    await q.query(
      `CREATE INDEX "ix_catalog_items_characteristics_key" ON "catalog_items"
         USING gin (characteristics_key("characteristics") jsonb_path_ops) WHERE "status" = 'active'`,
    );
    await q.query(
      `CREATE INDEX "ix_catalog_items_active_cpv_unit" ON "catalog_items" ("classification_code", "unit_code")
         WHERE "status" = 'active'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_catalog_items_active_cpv_unit"`);
    await q.query(`DROP INDEX "ix_catalog_items_characteristics_key"`);
    await q.query(`DROP FUNCTION characteristics_key(jsonb)`);
    await q.query(`DROP FUNCTION characteristic_text(text)`);
  }
}

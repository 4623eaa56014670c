import type { DataSource, EntityManager } from 'typeorm';
import { makeValidTaxId, type TaxIdScheme } from '@app/domain';
import {
  CpvEntry,
  ITEM_KIND,
  makeItem,
  makeOffer,
  OFFER_KIND,
  SeedCity,
  SeedSupplier,
  seedUuid,
  SUPPLIER_KIND,
  USER_KIND,
  hash32,
} from './generate';

export interface SeedOptions {
  items: number;
  offers: number;
  /** Supplier organisations to spread offers over; default one per 500 items, between 20 and 2,000. */
  suppliers?: number;
  /** New rows above which the GIN indexes are dropped and rebuilt once (default 200,000). */
  bulkThreshold?: number;
  log?: (message: string) => void;
}

export interface SeedReport {
  itemsInserted: number;
  offersInserted: number;
  suppliers: number;
  seconds: number;
}

const SCHEME_OF_COUNTRY: Record<string, TaxIdScheme> = {
  RU: 'RU-INN',
  KZ: 'KZ-BIN',
  BY: 'BY-UNP',
  KG: 'KG-INN',
  AM: 'AM-TIN',
  MD: 'MD-IDNO',
  TJ: 'TJ-INN',
  UZ: 'UZ-INN',
};

const ITEM_BATCH = 5_000;
const OFFER_BATCH = 10_000;
/** Above this many new rows, GIN indexes are dropped and rebuilt once: much faster than row-by-row upkeep. */
const BULK_THRESHOLD = 200_000;
const GIN_INDEXES = ['ix_catalog_search_entries_document', 'ix_catalog_offers_delivery_area'];
/** Seed organisations' tax ids come from this seed range, away from the ranges tests use. */
const TAX_SEED_BASE = 9_000_000;

/**
 * Seeds N active catalogue items and M offers with multi-row INSERTs over unnest(). Idempotent: rows have
 * stable ids derived from their index, batches already present are skipped, and conflicts are ignored.
 */
export async function seedCatalogue(dataSource: DataSource, options: SeedOptions): Promise<SeedReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const cpv = await loadCpv(dataSource);
  const cities = await loadCities(dataSource);
  const suppliers = await ensureSuppliers(
    dataSource,
    cities,
    options.suppliers ?? Math.min(2_000, Math.max(20, Math.ceil(options.items / 500))),
  );
  log(`${suppliers.length} supplier organisations ready`);

  const missingItems = await countMissing(dataSource, 'catalog_items', ITEM_KIND, options.items);
  const missingOffers = await countMissing(dataSource, 'catalog_offers', OFFER_KIND, options.offers);
  const bulk = missingItems + missingOffers >= (options.bulkThreshold ?? BULK_THRESHOLD);
  // Indexes an interrupted bulk load left dropped are rebuilt now, or - by a bulk load - at its end.
  if (!bulk) {
    await restoreDroppedIndexes(dataSource, (name) =>
      log(`rebuilding ${name}, which an interrupted bulk load dropped`),
    );
  }
  const saved = bulk ? await dropIndexes(dataSource, GIN_INDEXES) : [];
  if (bulk) log(`bulk load: ${saved.length} GIN indexes dropped, rebuilt at the end`);

  let itemsInserted = 0;
  let offersInserted = 0;
  try {
    for (let from = 0; from < options.items; from += ITEM_BATCH) {
      const to = Math.min(options.items, from + ITEM_BATCH);
      itemsInserted += await dataSource.transaction((m) => insertItems(m, from, to, cpv, suppliers));
      if (to % 100_000 < ITEM_BATCH || to === options.items) log(`items ${to}/${options.items}`);
    }
    if (options.items > 0) {
      for (let from = 0; from < options.offers; from += OFFER_BATCH) {
        const to = Math.min(options.offers, from + OFFER_BATCH);
        offersInserted += await dataSource.transaction((m) =>
          insertOffers(m, from, to, options.items, cpv, suppliers, cities),
        );
        if (to % 200_000 < OFFER_BATCH || to === options.offers) log(`offers ${to}/${options.offers}`);
      }
    }
    if (offersInserted > 0) {
      log('offer keys of the search rows');
      await refreshOfferKeys(dataSource);
      // Every search row was just rewritten: compact the table (its GIN indexes are not there to rebuild).
      if (bulk) await dataSource.query(`VACUUM FULL catalog_search_entries`);
    }
  } finally {
    await restoreDroppedIndexes(dataSource, (name) => log(`rebuilding ${name}`));
  }
  if (itemsInserted + offersInserted > 0) {
    log('vacuum analyze');
    for (const table of [
      'catalog_items',
      'catalog_search_entries',
      'catalog_offers',
      'catalog_search_words',
    ]) {
      await dataSource.query(`VACUUM (ANALYZE) "${table}"`);
    }
  }
  return {
    itemsInserted,
    offersInserted,
    suppliers: suppliers.length,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** catalog_offer_keys() of every item at once: one pass over the offers, through the same catalog_offer_row_keys. */
async function refreshOfferKeys(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    `UPDATE catalog_search_entries e SET offer_keys = k.keys
     FROM (
       SELECT o.item_id, array_agg(DISTINCT k ORDER BY k) AS keys FROM catalog_offers o
       JOIN organizations s ON s.id = o.supplier_organization_id,
       LATERAL unnest(catalog_offer_row_keys(o.currency, s.country, s.city_id, o.price, o.delivery_area)) AS k
       WHERE o.status = 'active' AND o.valid_until > now()
       GROUP BY o.item_id) k
     WHERE k.item_id = e.item_id AND e.offer_keys IS DISTINCT FROM k.keys`,
  );
}

async function loadCpv(dataSource: DataSource): Promise<CpvEntry[]> {
  const rows: CpvEntry[] = await dataSource.query(
    `SELECT code, name_ru AS "nameRu", name_en AS "nameEn" FROM classifications
     WHERE scheme = 'CPV' AND level >= 3 AND code <> '99999999-9' ORDER BY code`,
  );
  if (rows.length === 0) throw new Error('the CPV classification is not loaded; run the migrations first');
  return rows;
}

export async function loadCities(dataSource: DataSource): Promise<(SeedCity & { code: string })[]> {
  return dataSource.query(`SELECT id, code, country, region FROM cities ORDER BY code`);
}

/** Seed suppliers live mostly in the large cities; their single users are inactive and cannot sign in. */
export async function ensureSuppliers(
  dataSource: DataSource,
  cities: (SeedCity & { code: string })[],
  count: number,
): Promise<SeedSupplier[]> {
  const moscow = cities.find((c) => c.code === 'moscow') ?? cities[0];
  const rows = Array.from({ length: count }, (_, n) => {
    const roll = hash32(SUPPLIER_KIND + 5, n) % 100;
    const city =
      roll < 30 && moscow ? moscow : (cities[hash32(SUPPLIER_KIND + 6, n) % cities.length] as SeedCity);
    const scheme = SCHEME_OF_COUNTRY[city.country] ?? 'RU-INN';
    return {
      id: seedUuid(SUPPLIER_KIND, n),
      userId: seedUuid(USER_KIND, n),
      name: `Поставщик № ${n + 1}`,
      scheme,
      taxId: makeValidTaxId(scheme, TAX_SEED_BASE + n),
      city,
      email: `seed-supplier-${n + 1}@seed.invalid`,
    };
  });
  await dataSource.query(
    `INSERT INTO organizations (id, kind, legal_name, tax_scheme, tax_id, country, city_id, sme, status)
     SELECT id, 'supplier', name, scheme, tax_id, country, city_id, true, 'active'
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[])
       AS t(id, name, scheme, tax_id, country, city_id)
     ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.name),
      rows.map((r) => r.scheme),
      rows.map((r) => r.taxId),
      rows.map((r) => r.city.country),
      rows.map((r) => r.city.id),
    ],
  );
  await dataSource.query(
    `INSERT INTO users (id, email, full_name, password_hash, organization_id, role, active)
     SELECT u.id, u.email, 'Seed user', '!', u.org, 'supplier', false
     FROM unnest($1::uuid[], $2::text[], $3::uuid[]) AS u(id, email, org)
     JOIN organizations o ON o.id = u.org
     ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.userId), rows.map((r) => r.email), rows.map((r) => r.id)],
  );
  return dataSource.query(
    `SELECT o.id, u.id AS "userId", o.city_id AS "cityId", o.country, c.region
     FROM unnest($1::uuid[]) WITH ORDINALITY AS s(id, n)
     JOIN organizations o ON o.id = s.id JOIN users u ON u.organization_id = o.id AND u.email LIKE 'seed-%'
     JOIN cities c ON c.id = o.city_id ORDER BY s.n`,
    [rows.map((r) => r.id)],
  );
}

async function countMissing(
  dataSource: DataSource,
  table: string,
  kind: number,
  count: number,
): Promise<number> {
  if (count === 0) return 0;
  // The last ids of a seed are written last: if they exist, so does everything before them.
  const probe = Array.from({ length: Math.min(count, 50) }, (_, i) => seedUuid(kind, count - 1 - i));
  const [row] = await dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "${table}" WHERE id = ANY($1::uuid[])`,
    [probe],
  );
  return row && row.n === probe.length ? 0 : count;
}

/**
 * Where a bulk load keeps the definitions of the indexes it dropped until they are rebuilt: in the database, in
 * the transaction that drops them, so a load that is killed (Ctrl-C, a crash) leaves them to the next run
 * instead of losing them. The table exists only while some index waits to be rebuilt.
 */
const DROPPED_INDEXES = 'catalogue_seed_dropped_indexes';

async function dropIndexes(
  dataSource: DataSource,
  names: string[],
): Promise<{ name: string; sql: string }[]> {
  return dataSource.transaction(async (m) => {
    const rows: { name: string; sql: string }[] = await m.query(
      `SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = 'public' AND indexname = ANY($1)`,
      [names],
    );
    // The definition of a partitioned table's index says ON ONLY (the partitions' own indexes are attached
    // afterwards); rebuilt as such it would stay invalid. Without ONLY it is built on every partition.
    const saved = rows.map((row) => ({ name: row.name, sql: row.sql.replace(' ON ONLY ', ' ON ') }));
    if (saved.length === 0) return saved;
    await m.query(
      `CREATE TABLE IF NOT EXISTS "${DROPPED_INDEXES}" (name text PRIMARY KEY, definition text NOT NULL)`,
    );
    await m.query(
      `INSERT INTO "${DROPPED_INDEXES}" (name, definition) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (name) DO NOTHING`,
      [saved.map((d) => d.name), saved.map((d) => d.sql)],
    );
    for (const row of saved) await m.query(`DROP INDEX "${row.name}"`);
    return saved;
  });
}

/**
 * Rebuilds every index a bulk load dropped and has not rebuilt yet (this one, or an earlier one that was
 * interrupted), each in its own transaction with its record, saying which before it starts.
 */
async function restoreDroppedIndexes(
  dataSource: DataSource,
  rebuilding: (name: string) => void,
): Promise<void> {
  const [table] = await dataSource.query<{ present: boolean }[]>(
    `SELECT to_regclass($1) IS NOT NULL AS present`,
    [`public.${DROPPED_INDEXES}`],
  );
  if (!table?.present) return;
  const dropped = await dataSource.query<{ name: string; definition: string }[]>(
    `SELECT name, definition FROM "${DROPPED_INDEXES}" ORDER BY name`,
  );
  for (const index of dropped) {
    await dataSource.transaction(async (m) => {
      const [present] = await m.query<unknown[]>(
        `SELECT 1 FROM pg_indexes WHERE schemaname = 'public' AND indexname = $1`,
        [index.name],
      );
      if (!present) {
        rebuilding(index.name);
        await m.query(index.definition);
      }
      await m.query(`DELETE FROM "${DROPPED_INDEXES}" WHERE name = $1`, [index.name]);
    });
  }
  await dataSource.query(`DROP TABLE IF EXISTS "${DROPPED_INDEXES}"`);
}

async function insertItems(
  m: EntityManager,
  from: number,
  to: number,
  cpv: CpvEntry[],
  suppliers: SeedSupplier[],
): Promise<number> {
  const indexes = Array.from({ length: to - from }, (_, i) => from + i);
  const ids = indexes.map((i) => seedUuid(ITEM_KIND, i));
  const [present] = await m.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM catalog_items WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  if (present?.n === ids.length) return 0;
  const items = indexes.map((i) => makeItem(i, cpv));
  const proposers = indexes.map(
    (i) => suppliers[hash32(ITEM_KIND + 3, i) % suppliers.length] as SeedSupplier,
  );
  const inserted: { id: string }[] = await m.query(
    `INSERT INTO catalog_items (id, status, title_ru, title_en, description_ru, description_en,
       classification_scheme, classification_code, unit_code, characteristics, proposed_by_organization_id,
       proposed_by_user_id, version, published_at, created_at, updated_at)
     SELECT id, 'active', title_ru, title_en, description_ru, description_en, 'CPV', cpv, unit, ch::jsonb, org, usr,
       1, now() - days * interval '1 day', now() - days * interval '1 day', now() - days * interval '1 day'
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::uuid[], $10::uuid[], $11::int[])
       AS t(id, title_ru, title_en, description_ru, description_en, cpv, unit, ch, org, usr, days)
     ON CONFLICT DO NOTHING RETURNING id`,
    [
      ids,
      items.map((i) => i.titleRu),
      items.map((i) => i.titleEn),
      items.map((i) => i.descriptionRu),
      items.map((i) => i.descriptionEn),
      items.map((i) => i.cpvCode),
      items.map((i) => i.unitCode),
      items.map((i) => i.characteristics),
      proposers.map((s) => s.id),
      proposers.map((s) => s.userId),
      items.map((i) => i.publishedDaysAgo),
    ],
  );
  const newIds = inserted.map((r) => r.id);
  if (newIds.length === 0) return 0;
  await m.query(
    `INSERT INTO catalog_item_versions (item_id, version, action, actor_user_id, actor_organization_id,
       actor_role, changes, reason, created_at)
     SELECT id, 1, 'proposed', proposed_by_user_id, proposed_by_organization_id, 'supplier', '{}',
       'Imported by the catalogue seed', created_at
     FROM catalog_items WHERE id = ANY($1::uuid[]) ON CONFLICT DO NOTHING`,
    [newIds],
  );
  await m.query(
    `INSERT INTO catalog_search_entries (item_id, document, cpv_code, published_at)
     SELECT i.id, catalog_search_document(i.title_ru, i.title_en, i.description_ru, i.description_en,
       c.name_ru, c.name_en), i.classification_code, i.published_at
     FROM catalog_items i
     JOIN classifications c ON c.scheme = i.classification_scheme AND c.code = i.classification_code
     WHERE i.id = ANY($1::uuid[]) ON CONFLICT DO NOTHING`,
    [newIds],
  );
  await m.query(
    `INSERT INTO catalog_search_words (word)
     SELECT DISTINCT w FROM catalog_items i,
       regexp_split_to_table(lower(i.title_ru || ' ' || coalesce(i.title_en, '')), '[^[:alpha:]]+') AS w
     WHERE i.id = ANY($1::uuid[]) AND length(w) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING`,
    [newIds],
  );
  return newIds.length;
}

async function insertOffers(
  m: EntityManager,
  from: number,
  to: number,
  items: number,
  cpv: CpvEntry[],
  suppliers: SeedSupplier[],
  cities: SeedCity[],
): Promise<number> {
  const indexes = Array.from({ length: to - from }, (_, i) => from + i);
  const ids = indexes.map((i) => seedUuid(OFFER_KIND, i));
  const [present] = await m.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM catalog_offers WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  if (present?.n === ids.length) return 0;
  const offers = indexes.map((i) => makeOffer(i, items, cpv, suppliers, cities));
  const result: unknown[] = await m.query(
    `INSERT INTO catalog_offers (id, item_id, supplier_organization_id, created_by_user_id, price, currency,
       vat_included, min_quantity, delivery_area, lead_time_days, valid_from, valid_until, status)
     SELECT t.id, t.item_id, t.org, t.usr, t.price, t.currency, t.vat, t.min_qty,
       ARRAY(SELECT jsonb_array_elements_text(t.area::jsonb)), t.lead,
       now() - t.from_days * interval '1 day', now() - (t.from_days - t.valid_days) * interval '1 day', t.status
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::numeric[], $6::text[], $7::bool[],
       $8::numeric[], $9::text[], $10::int[], $11::int[], $12::int[], $13::text[])
       AS t(id, item_id, org, usr, price, currency, vat, min_qty, area, lead, from_days, valid_days, status)
     JOIN catalog_items i ON i.id = t.item_id
     ON CONFLICT DO NOTHING RETURNING 1`,
    [
      ids,
      offers.map((o) => seedUuid(ITEM_KIND, o.itemIndex)),
      offers.map((o) => o.supplier.id),
      offers.map((o) => o.supplier.userId),
      offers.map((o) => o.price),
      offers.map((o) => o.currency),
      offers.map((o) => o.vatIncluded),
      offers.map((o) => o.minQuantity),
      offers.map((o) => JSON.stringify(o.deliveryArea)),
      offers.map((o) => o.leadTimeDays),
      offers.map((o) => o.validFromDaysAgo),
      offers.map((o) => o.validDays),
      offers.map((o) => o.status),
    ],
  );
  return result.length;
}

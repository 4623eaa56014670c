import type { DataSource } from 'typeorm';
import { CURRENCY_OF_COUNTRY, seedUuid, SeedSupplier } from './generate';

const PAPER_KIND = 501;
const PAPER_OFFER_KIND = 601;
const PAPER_CPV = '30197630-1';

/** Office paper as buyers ask for it: the demo's headline search ("бумага", CPV 30197630-1). */
const PAPER = [
  [
    'Бумага офисная для лазерных принтеров A4, 80 г/м², 500 листов «Снежинка»',
    'Office paper A4, 80 gsm, 500 sheets',
  ],
  ['Бумага офисная A4, 80 г/м², класс C, 500 листов «Нева»', 'Office paper A4, 80 gsm, class C'],
  ['Бумага офисная A4, 90 г/м², класс A, 500 листов «Бореал»', 'Premium office paper A4, 90 gsm'],
  ['Бумага для печати A3, 80 г/м², 500 листов «Ладога»', 'Printing paper A3, 80 gsm, 500 sheets'],
  ['Бумага для струйных принтеров A4, 100 г/м², 100 листов «Кедр»', 'Inkjet printer paper A4, 100 gsm'],
  ['Бумага офисная переработанная A4, 80 г/м² «Тундра»', 'Recycled office paper A4, 80 gsm'],
  [
    'Бумага цветная для принтеров A4, 5 цветов, 250 листов «Самоцвет»',
    'Coloured printer paper A4, 5 colours',
  ],
  ['Бумага для копировальных аппаратов A4, 75 г/м², 500 листов «Ока»', 'Copier paper A4, 75 gsm, 500 sheets'],
] as const;

/** Rough price of a ream in roubles, made local with the seed's currency factors. */
const REAM_RUB = [420, 360, 610, 890, 540, 390, 720, 340];
const PER_RUB: Record<string, number> = {
  RUB: 1,
  KZT: 5.5,
  BYN: 0.035,
  KGS: 1,
  AMD: 4.5,
  MDL: 0.2,
  TJS: 0.12,
  UZS: 140,
};

/**
 * Eight office paper items under CPV 30197630-1, each with offers from several seed suppliers in their
 * national currencies, delivering country-wide. Idempotent: stable ids, conflicts ignored.
 */
export async function seedOfficePaper(dataSource: DataSource, suppliers: SeedSupplier[]): Promise<number> {
  const proposer = suppliers[0];
  if (!proposer) throw new Error('seed suppliers first');
  const ids = PAPER.map((_, i) => seedUuid(PAPER_KIND, i));
  await dataSource.query(
    `INSERT INTO catalog_items (id, status, title_ru, title_en, description_ru, classification_scheme,
       classification_code, unit_code, characteristics, proposed_by_organization_id, proposed_by_user_id,
       published_at)
     SELECT id, 'active', ru, en, ru || '. Белизна 146% CIE, для лазерной и струйной печати.', 'CPV', $4, 'XPK',
       '[{"name":"Формат","value":"A4"},{"name":"Листов в пачке","value":"500"}]', $5, $6, now()
     FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, ru, en)
     ON CONFLICT DO NOTHING`,
    [ids, PAPER.map((p) => p[0]), PAPER.map((p) => p[1]), PAPER_CPV, proposer.id, proposer.userId],
  );
  await dataSource.query(
    `INSERT INTO catalog_item_versions (item_id, version, action, actor_user_id, actor_organization_id,
       actor_role, changes, reason)
     SELECT id, 1, 'proposed', proposed_by_user_id, proposed_by_organization_id, 'supplier', '{}',
       'Imported by the demo seed'
     FROM catalog_items WHERE id = ANY($1::uuid[]) ON CONFLICT DO NOTHING`,
    [ids],
  );
  await dataSource.query(
    `INSERT INTO catalog_search_entries (item_id, document, cpv_code, published_at)
     SELECT i.id, catalog_search_document(i.title_ru, i.title_en, i.description_ru, i.description_en,
       c.name_ru, c.name_en), i.classification_code, i.published_at
     FROM catalog_items i JOIN classifications c ON c.scheme = 'CPV' AND c.code = i.classification_code
     WHERE i.id = ANY($1::uuid[]) ON CONFLICT DO NOTHING`,
    [ids],
  );
  await dataSource.query(
    `INSERT INTO catalog_search_words (word)
     SELECT DISTINCT w FROM catalog_items i,
       regexp_split_to_table(lower(i.title_ru || ' ' || coalesce(i.title_en, '')), '[^[:alpha:]]+') AS w
     WHERE i.id = ANY($1::uuid[]) AND length(w) BETWEEN 3 AND 40 ON CONFLICT DO NOTHING`,
    [ids],
  );
  // One supplier per country (the first seed supplier of each), so every member country sees offers.
  const byCountry = new Map<string, SeedSupplier>();
  for (const s of suppliers) if (!byCountry.has(s.country)) byCountry.set(s.country, s);
  const offers = ids.flatMap((itemId, i) =>
    [...byCountry.values()].map((s, k) => {
      const currency = CURRENCY_OF_COUNTRY[s.country] ?? 'RUB';
      const price = ((REAM_RUB[i] ?? 400) * (0.9 + ((i + k) % 5) * 0.05) * (PER_RUB[currency] ?? 1)).toFixed(
        2,
      );
      return { id: seedUuid(PAPER_OFFER_KIND, i * 100 + k), itemId, s, currency, price };
    }),
  );
  await dataSource.query(
    `INSERT INTO catalog_offers (id, item_id, supplier_organization_id, created_by_user_id, price, currency,
       vat_included, min_quantity, delivery_area, lead_time_days, valid_from, valid_until)
     SELECT id, item, org, usr, price, currency, true, 1, ARRAY['k:' || country], 3, now(), now() + interval '1 year'
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::numeric[], $6::text[], $7::text[])
       AS t(id, item, org, usr, price, currency, country)
     ON CONFLICT DO NOTHING`,
    [
      offers.map((o) => o.id),
      offers.map((o) => o.itemId),
      offers.map((o) => o.s.id),
      offers.map((o) => o.s.userId),
      offers.map((o) => o.price),
      offers.map((o) => o.currency),
      offers.map((o) => o.s.country),
    ],
  );
  await dataSource.query(
    `UPDATE catalog_search_entries SET offer_keys = catalog_offer_keys(item_id) WHERE item_id = ANY($1::uuid[])`,
    [ids],
  );
  return ids.length;
}

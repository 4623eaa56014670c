import type { DataSource } from 'typeorm';
import { hashPassword, makeValidTaxId } from '@app/domain';

/** Every bench supplier's user shares this password (one argon2 hash for all: hashing is slow on purpose). */
export const BENCH_PASSWORD = 'bench-supplier-password';
export const BENCH_CPV = '30197630-1';

/** One active buyer and `count` active suppliers in Moscow, each supplier with one user. */
export async function seedBuyerAndSuppliers(
  dataSource: DataSource,
  count: number,
): Promise<{ cityId: string; buyerId: string; supplierIds: string[] }> {
  const [city] = await dataSource.query<{ id: string }[]>(`SELECT id FROM cities WHERE code = 'moscow'`);
  if (!city) throw new Error('the member city moscow is missing; are the migrations applied?');
  const [buyer] = await dataSource.query<{ id: string }[]>(
    `INSERT INTO organizations (kind, legal_name, tax_scheme, tax_id, country, city_id, status)
     VALUES ('buyer', 'Bench buyer', 'RU-INN', $1, 'RU', $2, 'active') RETURNING id`,
    [makeValidTaxId('RU-INN', 2), city.id],
  );
  // Even seeds give 10-digit legal-entity INNs; seed 2 is the buyer's.
  const taxIds = Array.from({ length: count }, (_, i) => makeValidTaxId('RU-INN', 2 * i + 4));
  const suppliers = await dataSource.query<{ id: string; n: string }[]>(
    `INSERT INTO organizations (kind, legal_name, tax_scheme, tax_id, country, city_id, status)
     SELECT 'supplier', 'Bench supplier ' || x.n, 'RU-INN', x.tax_id, 'RU', $2, 'active'
       FROM unnest($1::text[]) WITH ORDINALITY AS x(tax_id, n)
     RETURNING id, substring(legal_name FROM 16) AS n`,
    [taxIds, city.id],
  );
  suppliers.sort((a, b) => Number(a.n) - Number(b.n));
  await dataSource.query(
    `INSERT INTO users (email, full_name, password_hash, organization_id, role)
     SELECT 'bench-supplier-' || x.n || '@example.test', 'Bench Supplier ' || x.n, $2, x.id, 'supplier'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
    [suppliers.map((s) => s.id), await hashPassword(BENCH_PASSWORD)],
  );
  return { cityId: city.id, buyerId: buyer!.id, supplierIds: suppliers.map((s) => s.id) };
}

/** `count` published open tenders with a deadline 30 days away, one lot and one item each. */
export function insertOpenTenders(
  dataSource: DataSource,
  count: number,
  buyerId: string,
  cityId: string,
): Promise<{ id: string; lotId: string }[]> {
  return dataSource.query<{ id: string; lotId: string }[]>(
    `WITH t AS (
       INSERT INTO tenders (number, ocid, title, description, status, method, currency, min_bids, organizer_id,
                            tender_start, tender_end, clarifications_until, published_at)
       SELECT n.number, 'ocds-mtp001-' || n.number, 'Office paper, bench ' || n.g, 'A4 office paper, 80 g/m2',
              'active.tendering', 'open', 'RUB', 1, $2, now(), now() + interval '30 days',
              now() + interval '30 days', now()
         FROM (SELECT g, 'MTP-' || extract(year FROM now()) || '-' || lpad(nextval('tender_number_seq')::text, 6, '0')
                      AS number
                 FROM generate_series(1, $1::int) g) n
       RETURNING id
     ), l AS (
       INSERT INTO lots (tender_id, number, title, estimate) SELECT id, 1, 'Paper A4', 100000.00 FROM t
       RETURNING id, tender_id
     ), i AS (
       INSERT INTO tender_items (lot_id, tender_id, description, cpv_code, unit_code, quantity, delivery_city_id,
                                 delivery_date)
       SELECT id, tender_id, 'Бумага офисная A4, 500 листов', $3, 'XPK', 200, $4, '2027-03-01' FROM l
     ), b AS (
       INSERT INTO tender_buyers (tender_id, buyer_id) SELECT id, $2 FROM t
     )
     SELECT tender_id AS id, id AS "lotId" FROM l ORDER BY tender_id`,
    [count, buyerId, BENCH_CPV, cityId],
  );
}

/** Signs every supplier's user in through the API, a few at a time (argon2 verification is deliberately slow). */
export async function loginSuppliers(
  base: string,
  supplierIds: string[],
): Promise<{ id: string; email: string; token: string }[]> {
  const suppliers: { id: string; email: string; token: string }[] = [];
  for (let i = 0; i < supplierIds.length; i += 8) {
    const batch = supplierIds.slice(i, i + 8).map(async (id, j) => {
      const email = `bench-supplier-${i + j + 1}@example.test`;
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, password: BENCH_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
      const { accessToken } = (await res.json()) as { accessToken: string };
      return { id, email, token: accessToken };
    });
    suppliers.push(...(await Promise.all(batch)));
  }
  return suppliers;
}

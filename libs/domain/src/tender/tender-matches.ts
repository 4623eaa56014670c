import type { EntityManager } from 'typeorm';

/**
 * Up to how many matches a selective filter collects first (see narrowTenders): rows of its index, so a tender
 * matching twice (two items in the CPV subtree, two buyers of the city) counts twice. Sorting that many ids by
 * publication takes a few milliseconds; a filter admitting more fills a page early when tenders are walked
 * newest first.
 */
export const MATCH_CAP = 2000;

/**
 * A filter of a tender list that has an index of its own (words, a CPV subtree, a buyer city, a supplier).
 * `ids` selects the tender ids it admits through that index, its one value as $1 (repeats allowed);
 * `condition` is the same filter on a tender row t, its value as every ?.
 */
export interface TenderMatch {
  ids: string;
  condition: string;
  value: unknown;
}

/**
 * Adds the conditions of selective filters to a list of tenders read newest first. The planner would walk the
 * publication index and test each tender, expecting a page to fill early; for a filter that admits a few
 * tenders of many (a city whose buyers have not published yet, a supplier with three deals, a rare word) that
 * reads every tender. So the tenders each filter admits are collected first, all in one statement, at most
 * `cap` + 1 matches of each: a filter within the cap becomes `t.id = ANY (its ids)`, the list then reads just
 * those; a filter above it is common, and is added as its condition. The page is the same either way.
 */
export async function narrowTenders(
  manager: EntityManager,
  matches: TenderMatch[],
  add: (sql: string, value: unknown) => void,
  cap = MATCH_CAP,
): Promise<void> {
  if (matches.length === 0) return;
  const limit = `$${matches.length + 1}`;
  const arrays = matches.map(
    (m, i) => `ARRAY(${m.ids.replace(/\$1(?!\d)/g, `$${i + 1}`)} LIMIT ${limit}) AS m${i}`,
  );
  const [row] = await manager.query<Record<string, string[]>[]>(`SELECT ${arrays.join(', ')}`, [
    ...matches.map((m) => m.value),
    cap + 1,
  ]);
  matches.forEach((m, i) => {
    const ids = row?.[`m${i}`] ?? [];
    if (ids.length <= cap) add('t.id = ANY (?::uuid[])', [...new Set(ids)]);
    else add(m.condition, m.value);
  });
}

/** The tenders whose title and description hold the words, in Russian or English forms. */
export function wordsMatch(words: string): TenderMatch {
  const holds = `(d.document_ru @@ plainto_tsquery('russian', $1) OR d.document_en @@ plainto_tsquery('english', $1))`;
  return {
    ids: `SELECT d.tender_id FROM tender_search_documents d WHERE ${holds}`,
    condition: `EXISTS (SELECT 1 FROM tender_search_documents d
                 WHERE d.tender_id = t.id AND ${holds.replaceAll('$1', '?')})`,
    value: words,
  };
}

/** The tenders with an item in a CPV subtree (a LIKE pattern, see cpvPattern). */
export function cpvMatch(pattern: string): TenderMatch {
  return {
    ids: 'SELECT i.tender_id FROM tender_items i WHERE i.cpv_code LIKE $1',
    condition: 'EXISTS (SELECT 1 FROM tender_items i WHERE i.tender_id = t.id AND i.cpv_code LIKE ?)',
    value: pattern,
  };
}

/** The tenders with a buyer (organiser or joint buyer) in a city. */
export function buyerCityMatch(cityId: string): TenderMatch {
  return {
    ids: `SELECT tb.tender_id FROM organizations o JOIN tender_buyers tb ON tb.buyer_id = o.id
           WHERE o.city_id = $1::uuid`,
    condition: `EXISTS (SELECT 1 FROM tender_buyers tb JOIN organizations o ON o.id = tb.buyer_id
                 WHERE tb.tender_id = t.id AND o.city_id = ?::uuid)`,
    value: cityId,
  };
}

/** The CPV subtree of a code as a LIKE pattern: codes sharing its significant prefix (trailing zeros dropped). */
export function cpvPattern(cpv: string): string {
  return `${cpv.slice(0, 8).replace(/0+$/, '')}%`;
}

/**
 * The catalogue search as SQL, built from already validated parameters. Pure, so that the benchmark can run
 * exactly the statements the API runs, and so that the shapes can be unit-tested.
 */

export const SEARCH_SORTS = ['relevance', 'price', 'newest'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/**
 * A search examines at most this many matching items. Below it, total, facets and every ordering are exact;
 * above it they cover the window and say so (totalExact: false), and the client is asked to refine. It bounds
 * the cost of a broad query, which would otherwise grow with its matches (and with the catalogue).
 */
export const SEARCH_WINDOW = 1_000;

export const MAX_QUERY_WORDS = 8;

/**
 * Session settings of the search's own connections (see CatalogSearchPool): the matches are read through the
 * GIN (words) or btree (CPV subtree) bitmap, never by a sequential or ordered index scan that stops after enough
 * matches. Those look cheap when the planner overestimates the matches, and read the whole table when they are
 * rare. With a bitmap, the work is bounded by the smaller of the matches and the window. The plan of a search
 * statement does not depend on its values (the tsquery is computed inside it), so one generic plan per shape
 * is kept and no search is planned twice.
 */
export const SEARCH_SESSION_OPTIONS = '-c enable_seqscan=off -c plan_cache_mode=force_generic_plan';
const MAX_WORD_LENGTH = 40;
/** Token types of the default text search parser (ts_token_type('default')): what lies between words. */
const BLANK_TOKEN = 12;
/**
 * The parts of a hyphenated word ("wi" and "fi" of "wi-fi"), which the parser gives after the whole word: they
 * do not count towards the eight words, so a hyphenated word takes one place, as the user typed it.
 */
const HYPHEN_PARTS = '9, 10, 11';

export interface SearchPlan {
  /** Query words (searchWords): every one must match; none to match every active item. */
  words: string[];
  /** Significant digits of a CPV code: the subtree filter. */
  cpvPrefix: string | null;
  /** Delivery keys of the requested city (see keysReachingCity). */
  areaKeys: string[] | null;
  supplierCityId: string | null;
  supplierCountry: string | null;
  currency: string;
  priceMin: string | null;
  priceMax: string | null;
  withOffers: boolean;
  /** Only offers on this VAT basis count; null: every offer, as priced. */
  vatIncluded: boolean | null;
  sort: SearchSort;
  limit: number;
  /** The key of the last hit of the previous page, in the shape of the sort. */
  after: (string | number)[] | null;
  window?: number;
}

export interface SqlStatement {
  text: string;
  values: unknown[];
}

/** Punctuation around a query chunk (quotes, commas, a final stop), but not the minus of a negative number. */
const CHUNK_EDGES = /^(?:(?!-\p{N})[^\p{L}\p{N}])+|[^\p{L}\p{N}]+$/gu;

/**
 * The query as chunks between spaces, lower case, stripped of the punctuation around them: at most eight, each
 * holding a letter or a digit (the query itself is at most 200 characters). The statement cuts them into words with
 * PostgreSQL's own parser (see resolveWordsCtes), the one that cut the titles: a chunk keeps what that parser
 * reads as one word ("1.5", "v2.0", "3x2.5", "-40") or as several ("г/м²" is г and м: the superscript is no
 * part of a word for it).
 */
export function searchWords(q: string): string[] {
  return q
    .toLowerCase()
    .split(/\s+/u)
    .map((chunk) => chunk.replace(CHUNK_EDGES, ''))
    .filter((chunk) => /[\p{L}\p{N}]/u.test(chunk))
    .slice(0, MAX_QUERY_WORDS);
}

/**
 * Turns query chunks (searchWords) into words with the parser of the titles' documents (the tokens that are not
 * blanks: at most eight, not counting the parts of a hyphenated word, of at most forty characters each), and
 * the words into a tsquery: every word must match
 * (AND), through its Russian or English lexeme, or -
 * when no word of the titles' lexicon has its lexeme (a typo, not another form of a known word) - through the
 * lexemes of lexicon words close to it: of the five nearest by trigrams, those fewest edits away, if that is
 * one edit (two from six letters on). Lexemes are deduplicated. A stop word of either configuration is
 * dropped, as to_tsquery would; with only stop words the tsquery is null and nothing matches. `words` is the
 * text[] parameter of chunks; the CTE `resolved` has one row: the tsquery `q` and the corrections made.
 */
function resolveWordsCtes(words: string): string {
  return `
  w AS (SELECT word, ord FROM (
      SELECT left(lower(p.token), ${MAX_WORD_LENGTH}) AS word, row_number() OVER (ORDER BY c.ord, p.ord) AS ord,
        count(*) FILTER (WHERE p.tokid NOT IN (${HYPHEN_PARTS})) OVER (ORDER BY c.ord, p.ord) AS nth
      FROM unnest(${words}) WITH ORDINALITY AS c(chunk, ord),
        ts_parse('default', c.chunk) WITH ORDINALITY AS p(tokid, token, ord)
      WHERE p.tokid <> ${BLANK_TOKEN}) t
    WHERE nth <= ${MAX_QUERY_WORDS}
      AND to_tsvector('russian', word) <> ''::tsvector AND to_tsvector('english', word) <> ''::tsvector),
  alt AS MATERIALIZED (
    SELECT w.ord, w.word, ARRAY(
        SELECT n.word FROM (
          SELECT c.word, levenshtein(c.word, w.word) AS d, min(levenshtein(c.word, w.word)) OVER () AS best
          FROM (
            SELECT s.word FROM catalog_search_words s
            WHERE length(w.word) >= 4
              AND NOT EXISTS (SELECT 1 FROM catalog_search_words x
                WHERE to_tsvector('russian', x.word) = to_tsvector('russian', w.word))
            ORDER BY s.word <-> w.word LIMIT 5) c) n
        WHERE n.d = n.best AND n.d <= CASE WHEN length(w.word) >= 6 THEN 2 ELSE 1 END
        ORDER BY n.word LIMIT 3) AS near
    FROM w),
  lex AS (
    SELECT alt.ord, string_agg(DISTINCT quote_literal(l.lexeme), ' | ') AS any_of
    FROM alt, unnest(alt.word || alt.near) AS a(word),
      unnest(tsvector_to_array(to_tsvector('russian', a.word) || to_tsvector('english', a.word))) AS l(lexeme)
    GROUP BY alt.ord),
  resolved AS MATERIALIZED (
    SELECT (SELECT string_agg('(' || any_of || ')', ' & ' ORDER BY ord) FROM lex)::tsquery AS q,
      (SELECT coalesce(json_agg(json_build_object('word', word, 'suggestions', near) ORDER BY ord)
         FILTER (WHERE cardinality(near) > 0), '[]') FROM alt) AS corrections),`;
}

interface Builder {
  values: unknown[];
  param(value: unknown, cast?: string): string;
}

function builder(): Builder {
  const values: unknown[] = [];
  return {
    values,
    param(value, cast) {
      values.push(value);
      return `$${values.length}${cast ? `::${cast}` : ''}`;
    },
  };
}

/**
 * Conditions on an offer (alias o, supplier s) for it to count in this search. `supplier` says how the
 * supplier's status is checked: on the joined row s, or - when no filter needs the supplier row - against the
 * few suppliers that are not active (one hashed set per statement, read from ix_organizations_inactive_suppliers,
 * instead of a lookup per offer).
 */
function offerConditions(plan: SearchPlan, b: Builder, supplier: 'joined' | 'set' = 'joined'): string {
  const where = [
    `o.currency = ${b.param(plan.currency, 'bpchar')}`,
    `o.status = 'active'`,
    `o.valid_from <= now()`,
    `o.valid_until > now()`,
    supplier === 'joined'
      ? `s.status = 'active'`
      : `o.supplier_organization_id NOT IN (SELECT x.id FROM organizations x WHERE x.kind = 'supplier' AND x.status <> 'active')`,
  ];
  if (plan.areaKeys) where.push(`o.delivery_area && ${b.param(plan.areaKeys, 'text[]')}`);
  if (plan.supplierCityId) where.push(`s.city_id = ${b.param(plan.supplierCityId, 'uuid')}`);
  if (plan.supplierCountry) where.push(`s.country = ${b.param(plan.supplierCountry, 'bpchar')}`);
  if (plan.priceMin) where.push(`o.price >= ${b.param(plan.priceMin, 'numeric')}`);
  if (plan.priceMax) where.push(`o.price <= ${b.param(plan.priceMax, 'numeric')}`);
  if (plan.vatIncluded !== null) where.push(`o.vat_included = ${b.param(plan.vatIncluded, 'bool')}`);
  return where.join(' AND ');
}

/**
 * Word or CPV filters read matches through a bitmap (see SEARCH_SESSION_OPTIONS), so their window is the first
 * matches in the order of the partitions (by hash of the item) and of their tables. A plain browse reads the
 * newest items through the publication index instead.
 */
export function usesMatchBitmap(plan: SearchPlan): boolean {
  return plan.words.length > 0 || plan.cpvPrefix !== null;
}

/** The price band of the largest price an offer may have (1e12: thirteen digits, leading 1). */
const MAX_PRICE_BAND = '39';

/**
 * The offer keys an item must have for one of its offers to count in this search (a superset: the offers are
 * checked exactly after it), as groups of keys of which any one will do: each a text[] expression. The keys are
 * the search row's offer_keys, which are also lexemes of its document (see the OfferKeysInDocument migration).
 */
function offerKeyGroups(plan: SearchPlan, b: Builder): string[] {
  const currency = plan.currency;
  const groups = [
    b.param(plan.areaKeys ? plan.areaKeys.map((k) => `${currency}|${k}`) : [currency], 'text[]'),
  ];
  if (plan.supplierCountry) groups.push(b.param([`${currency}|S:${plan.supplierCountry}`], 'text[]'));
  if (plan.supplierCityId) groups.push(b.param([`${currency}|SC:${plan.supplierCityId}`], 'text[]'));
  // An offer in the range lies in a price band from the minimum's to the maximum's (catalog_price_band).
  if (plan.priceMin !== null || plan.priceMax !== null) {
    const cur = b.param(currency, 'text');
    const from = plan.priceMin === null ? '0' : `catalog_price_band(${b.param(plan.priceMin, 'numeric')})`;
    const to =
      plan.priceMax === null ? MAX_PRICE_BAND : `catalog_price_band(${b.param(plan.priceMax, 'numeric')})`;
    groups.push(`ARRAY(SELECT ${cur} || '|P:' || g FROM generate_series(${from}, ${to}) AS g)`);
  }
  return groups;
}

/** True when the set of matching items depends on offers, not only on the item. */
export function filtersOnOffers(plan: SearchPlan): boolean {
  return (
    plan.withOffers ||
    plan.sort === 'price' ||
    plan.areaKeys !== null ||
    plan.supplierCityId !== null ||
    plan.supplierCountry !== null ||
    plan.priceMin !== null ||
    plan.priceMax !== null ||
    plan.vatIncluded !== null
  );
}

const ORDER: Record<SearchSort, string> = {
  relevance: 'score DESC, item_id ASC',
  price: 'best_price ASC, item_id ASC',
  newest: 'published_at DESC, item_id DESC',
};

function afterCondition(plan: SearchPlan, b: Builder): string {
  if (!plan.after) return 'true';
  const [key, id] = plan.after;
  const lastId = b.param(id, 'uuid');
  switch (plan.sort) {
    case 'relevance': {
      const score = b.param(key, 'int8');
      return `(score < ${score} OR (score = ${score} AND item_id > ${lastId}))`;
    }
    case 'price':
      return `(best_price, item_id) > (${b.param(key, 'numeric')}, ${lastId})`;
    case 'newest':
      return `(published_at, item_id) < (timestamptz 'epoch' + ${b.param(key, 'int8')} * interval '1 microsecond', ${lastId})`;
  }
}

/**
 * One statement answering a search page: the words resolved into a tsquery, the match window (m), the page of
 * it after the cursor, the total, facet counts by CPV division, each hit with its best current offer and its
 * number of offers (one pass over the hit's offers: the window count is taken before the LIMIT), and the
 * corrections of misspelt words.
 */
export function buildSearchSql(plan: SearchPlan): SqlStatement {
  const b = builder();
  const words = plan.words.length > 0 ? b.param(plan.words, 'text[]') : null;
  const tsq = words ? '(SELECT q FROM resolved)' : null;
  const onOffers = filtersOnOffers(plan);
  // Words, a CPV subtree and offer keys are all lexemes of the search document (offer and CPV keys: see the
  // OfferKeysInDocument migration): with words, or a subtree and an offer filter, they make one tsquery, and
  // the GIN index intersects them, driven by the rarest, before a row is read. Otherwise a subtree is a range
  // of its btree, and offer keys filter the rows read by it or in order of publication.
  const keyGroups = onOffers ? offerKeyGroups(plan, b) : [];
  const cpvTerm = plan.cpvPrefix !== null && (tsq !== null || onOffers);
  const terms = [
    ...(tsq ? [tsq] : []),
    ...(cpvTerm ? [`quote_literal(${b.param(`CPV:${plan.cpvPrefix}`, 'text')})::tsquery`] : []),
  ];
  if (terms.length > 0) {
    terms.push(
      ...keyGroups.map((g) => `(SELECT string_agg(quote_literal(k), ' | ')::tsquery FROM unnest(${g}) AS k)`),
    );
  }
  const matched = terms.length > 0 ? terms.join(' && ') : null;
  const where: string[] = [];
  if (matched) where.push(`e.document @@ (SELECT q FROM matched)`);
  else where.push(...keyGroups.map((g) => `e.offer_keys && ${g}`));
  if (plan.cpvPrefix && !cpvTerm) {
    // The subtree as a range, so that a generic plan reads it through the index (LIKE needs a constant).
    // Codes hold digits and '-', all below ':', which follows '9'.
    where.push(
      `e.cpv_code ~>=~ ${b.param(plan.cpvPrefix, 'text')} AND e.cpv_code ~<~ ${b.param(`${plan.cpvPrefix}:`, 'text')}`,
    );
  }

  const score =
    tsq && plan.sort === 'relevance' ? `(ts_rank(e.document, ${tsq}) * 1000000)::int8` : '0::int8';
  // The item's offers in the currency come in price order from ix_catalog_offers_item_price: the first that
  // counts is the best price, and the rest are not read. An item with none drops out of the join.
  const bySupplier = plan.supplierCityId !== null || plan.supplierCountry !== null;
  const offerJoin = onOffers
    ? `JOIN LATERAL (SELECT o.price AS best_price FROM catalog_offers o
         ${bySupplier ? 'JOIN organizations s ON s.id = o.supplier_organization_id' : ''}
         WHERE o.item_id = e.item_id AND ${offerConditions(plan, b, bySupplier ? 'joined' : 'set')}
         ORDER BY o.price LIMIT 1) b ON true`
    : '';
  const bestPrice = onOffers ? 'b.best_price' : 'NULL::numeric';
  const window = b.param(plan.window ?? SEARCH_WINDOW, 'int');
  const after = afterCondition(plan, b);
  const limit = b.param(plan.limit + 1, 'int');
  const hitOffer = offerConditions(plan, b);
  const text = `
    WITH ${words ? resolveWordsCtes(words) : ''}
    ${matched ? `matched AS MATERIALIZED (SELECT ${matched} AS q),` : ''}
    m AS MATERIALIZED (
      SELECT e.item_id, e.cpv_code, e.published_at, ${score} AS score, ${bestPrice} AS best_price
      FROM catalog_search_entries e ${offerJoin}
      WHERE ${where.length > 0 ? where.join(' AND ') : 'true'}
      ${usesMatchBitmap(plan) ? '' : 'ORDER BY e.published_at DESC, e.item_id DESC'}
      LIMIT ${window}),
    page AS (SELECT * FROM m WHERE ${after} ORDER BY ${ORDER[plan.sort]} LIMIT ${limit})
    SELECT (SELECT count(*) FROM m)::int AS total,
      (SELECT coalesce(json_agg(json_build_object('division', d, 'count', n) ORDER BY n DESC, d), '[]')
         FROM (SELECT left(cpv_code, 2) AS d, count(*)::int AS n FROM m GROUP BY 1) f) AS facets,
      (SELECT coalesce(json_agg(h ORDER BY h.ord), '[]') FROM (
         SELECT row_number() OVER (ORDER BY ${ORDER[plan.sort].replace(/(score|best_price|published_at|item_id)/g, 'p.$1')}) AS ord,
           p.item_id AS "id", p.score, (extract(epoch from p.published_at) * 1000000)::int8 AS "publishedUs",
           p.best_price::text AS "bestPrice", i.title_ru AS "titleRu", i.title_en AS "titleEn",
           i.unit_code AS "unitCode", i.classification_code AS "cpvCode", c.name_ru AS "cpvNameRu",
           c.name_en AS "cpvNameEn", i.published_at AS "publishedAt", coalesce(bo.n, 0) AS "offerCount", bo."offer"
         FROM page p
         JOIN catalog_items i ON i.id = p.item_id
         JOIN classifications c ON c.scheme = i.classification_scheme AND c.code = i.classification_code
         LEFT JOIN LATERAL (
           SELECT count(*) OVER ()::int AS n,
             json_build_object('id', o.id, 'price', o.price::text, 'currency', o.currency,
               'vatIncluded', o.vat_included, 'minQuantity', trim_scale(o.min_quantity)::text,
               'leadTimeDays', o.lead_time_days, 'validUntil', o.valid_until,
               'supplier', json_build_object('id', s.id, 'legalName', s.legal_name, 'cityId', s.city_id,
                 'country', s.country)) AS "offer"
           FROM catalog_offers o JOIN organizations s ON s.id = o.supplier_organization_id
           WHERE o.item_id = p.item_id AND ${hitOffer}
           ORDER BY o.price, o.id LIMIT 1) bo ON true
      ) h) AS hits,
      ${words ? '(SELECT corrections FROM resolved)' : `'[]'::json`} AS corrections`;
  return { text, values: b.values };
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isIsoCurrency } from '@app/catalog';
import { DataSource } from 'typeorm';
import { ValidationFailedError } from '../errors';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../pagination/cursor';
import { ExchangeRatesService } from './exchange-rates.service';
import {
  CityPrices,
  compareCities,
  ComparedCity,
  distinctRates,
  figuresOf,
  rateDay,
  UsedRate,
} from './price-comparison';
import { PriceComparisonNotFoundError, PriceStatsNotFoundError } from './price-comparisons.errors';
import { cpvKey } from './price-stats';

export interface PriceComparisonInput {
  /** Exactly one of cpv (children rolled up) and catalogItemId. */
  cpv?: string;
  catalogItemId?: string;
  unitCode: string;
  /** YYYY-MM. */
  month: string;
  /** ISO 4217. */
  baseCurrency: string;
  /** Only these cities; absent: every city with statistics. */
  cityIds?: string[];
}

export interface PriceComparisonSummary {
  id: string;
  kind: 'cpv' | 'item';
  /** A CPV roll-up key (see cpvKey) or a catalogue item id. */
  subject: string;
  unitCode: string;
  /** YYYY-MM. */
  month: string;
  baseCurrency: string;
  createdAt: string;
}

export interface PriceComparisonView extends PriceComparisonSummary {
  cities: ComparedCity[];
  /** The recorded rates the comparison used, once each. */
  rates: UsedRate[];
}

export interface PriceComparisonListItem extends PriceComparisonSummary {
  /** How many cities the comparison covers. */
  cityCount: number;
}

type StoredRow = PriceComparisonSummary & { cities: ComparedCity[] };
/** `cursorAt` is created_at with microseconds, so the keyset never skips rows within a millisecond. */
type ListRow = PriceComparisonListItem & { cursorAt: string };

const SUMMARY_COLUMNS = `id, kind, subject, unit_code AS "unitCode", to_char(month, 'YYYY-MM') AS month,
  base_currency AS "baseCurrency", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/**
 * Cross-city price comparisons in a base currency. The conversion is pure (price-comparison.ts); this reads the
 * month's city statistics and the rates, and stores the result with the rates it used, so reading it back later
 * gives the same figures whatever happens to the rates or the statistics since.
 */
@Injectable()
export class PriceComparisonsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rates: ExchangeRatesService,
  ) {}

  /**
   * Compares and stores. Invariant: nothing is stored unless every row could be converted (a missing rate
   * throws ExchangeRateMissingError before the insert, which is a single statement).
   */
  async create(userId: string, input: PriceComparisonInput): Promise<PriceComparisonView> {
    if (!isIsoCurrency(input.baseCurrency)) {
      throw new ValidationFailedError('baseCurrency: not an ISO 4217 currency', { field: 'baseCurrency' });
    }
    const [kind, subject] = input.catalogItemId
      ? ['item', input.catalogItemId]
      : ['cpv', cpvKey(input.cpv ?? '')];
    const rows = await this.cityRows(kind, subject, input);
    if (rows.length === 0) {
      throw new PriceStatsNotFoundError(
        `No city has ${input.month} statistics of this ${kind === 'cpv' ? 'CPV code' : 'catalogue item'} in ${input.unitCode}`,
        { kind, subject, unitCode: input.unitCode, month: input.month },
      );
    }
    const day = rateDay(input.month, new Date().toISOString().slice(0, 10));
    const currencies = [...new Set(rows.map((r) => r.currency))];
    const found = await Promise.all(
      currencies.map(async (currency): Promise<[string, UsedRate]> => {
        const r = await this.rates.rateOn(input.baseCurrency, currency, day);
        return [currency, { base: r.base, currency: r.currency, day: r.day, rate: r.rate }];
      }),
    );
    const rateOf = new Map(found);
    const cities = compareCities(rows, (currency) => rateOf.get(currency) as UsedRate);
    const [stored] = await this.dataSource.query<StoredRow[]>(
      `INSERT INTO price_comparisons (kind, subject, unit_code, month, base_currency, created_by, cities)
       VALUES ($1, $2, $3, $4::date, $5, $6, $7::jsonb)
       RETURNING ${SUMMARY_COLUMNS}, cities`,
      [
        kind,
        subject,
        input.unitCode,
        `${input.month}-01`,
        input.baseCurrency,
        userId,
        JSON.stringify(cities),
      ],
    );
    return toView(stored!);
  }

  /** A stored comparison, exactly as it was computed. */
  async get(id: string): Promise<PriceComparisonView> {
    const [row] = await this.dataSource.query<StoredRow[]>(
      `SELECT ${SUMMARY_COLUMNS}, cities FROM price_comparisons WHERE id = $1`,
      [id],
    );
    if (!row) throw new PriceComparisonNotFoundError(`No price comparison ${id}`, { id });
    return toView(row);
  }

  /** Newest first, keyset-paginated over (created_at, id); the cities are left to get(). */
  async list(filter: { limit?: number; cursor?: string }): Promise<Page<PriceComparisonListItem>> {
    const limit = filter.limit ?? DEFAULT_PAGE_SIZE;
    const after = filter.cursor ? decodeListCursor(filter.cursor) : null;
    const rows = await this.dataSource.query<ListRow[]>(
      `SELECT ${SUMMARY_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt",
              (SELECT count(DISTINCT c->>'cityId') FROM jsonb_array_elements(cities) c)::int AS "cityCount"
         FROM price_comparisons
        WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1::timestamptz, $2::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $3`,
      [after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const page = toPage(rows, limit, (r) => [r.cursorAt, r.id]);
    return { items: page.items.map(({ cursorAt: _, ...item }) => item), nextCursor: page.nextCursor };
  }

  /** The month's city rows of the subject and unit, in every currency. */
  private cityRows(kind: string, subject: string, input: PriceComparisonInput): Promise<CityPrices[]> {
    return this.dataSource.query<CityPrices[]>(
      `SELECT city_id AS "cityId", country, currency, count, min::text, q1::text, median::text, q3::text,
              max::text, mean::text, total_value::text AS "totalValue"
         FROM price_stats
        WHERE kind = $1 AND subject = $2 AND unit_code = $3 AND month = $4::date AND city_id IS NOT NULL
          AND ($5::uuid[] IS NULL OR city_id = ANY($5::uuid[]))`,
      [kind, subject, input.unitCode, `${input.month}-01`, input.cityIds ?? null],
    );
  }
}

/** A tampered cursor is a 400, never a database error. */
function decodeListCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, ['instant', 'uuid']);
  return [String(at), String(id)];
}

/** Rebuilds the stored JSON in a fixed key order (jsonb keeps its own), the rates derived from the cities. */
function toView(row: StoredRow): PriceComparisonView {
  const cities = row.cities.map((c): ComparedCity => ({
    cityId: c.cityId,
    country: c.country,
    currency: c.currency,
    count: c.count,
    ...figuresOf(c),
    original: figuresOf(c.original),
    rate: { base: c.rate.base, currency: c.rate.currency, day: c.rate.day, rate: c.rate.rate },
  }));
  return {
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    unitCode: row.unitCode,
    month: row.month,
    baseCurrency: row.baseCurrency,
    createdAt: row.createdAt,
    cities,
    rates: distinctRates(cities),
  };
}

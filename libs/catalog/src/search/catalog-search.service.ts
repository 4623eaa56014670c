import { Injectable } from '@nestjs/common';
import { CursorPart, decodeCatalogCursor, encodeCatalogCursor } from '../common/cursor';
import { ClassificationService } from '../classification/classification.service';
import { keysReachingCity } from '../offer/delivery-area';
import { checkPrice, isIsoCurrency, NATIONAL_CURRENCY } from '../offer/money';
import { CurrencyInvalidError, PriceInvalidError, UnknownCityError } from '../offer/offer.errors';
import { priceMessage } from '../offer/offer-input.checker';
import { SupplierDirectory } from '../offer/supplier-directory';
import { CatalogSearchPool } from './catalog-search-pool';
import { buildSearchSql, SEARCH_WINDOW, SearchPlan, SearchSort, searchWords } from './search-sql';
import { PriceRangeInvalidError, SearchQueryTooLongError } from './search.errors';

export const MAX_SEARCH_QUERY_LENGTH = 200;

export interface SearchInput {
  q?: string;
  cpv?: string;
  deliveryCityId?: string;
  supplierCityId?: string;
  supplierCountry?: string;
  currency?: string;
  priceMin?: string;
  priceMax?: string;
  withOffers?: boolean;
  vatIncluded?: boolean;
  sort?: SearchSort;
  limit: number;
  cursor?: string;
}

export interface BestOffer {
  id: string;
  price: string;
  currency: string;
  vatIncluded: boolean;
  minQuantity: string;
  leadTimeDays: number;
  validUntil: string;
  supplier: { id: string; legalName: string; cityId: string; country: string };
}

export interface SearchHit {
  id: string;
  titleRu: string;
  titleEn: string | null;
  unitCode: string;
  cpvCode: string;
  cpvNameRu: string;
  cpvNameEn: string;
  publishedAt: string;
  /** Relevance ×10⁶ (0 unless sorted by relevance). */
  score: number;
  offerCount: number;
  offer: BestOffer | null;
}

export interface SearchFacet {
  division: string;
  code: string | null;
  nameRu: string | null;
  nameEn: string | null;
  count: number;
}

export interface SearchResult {
  items: SearchHit[];
  nextCursor: string | null;
  total: number;
  /** False when more than SEARCH_WINDOW items match: totals, facets and order then cover the window only. */
  totalExact: boolean;
  facets: SearchFacet[];
  currency: string;
  /** The VAT basis offers were compared on; null: each as priced. */
  vatIncluded: boolean | null;
  sort: SearchSort;
  corrections: { word: string; suggestions: string[] }[];
}

interface RawHit extends SearchHit {
  publishedUs: number;
  bestPrice: string | null;
}

interface RawResult {
  total: number;
  facets: { division: string; count: number }[];
  hits: RawHit[];
  corrections: SearchResult['corrections'];
}

const CURSOR_SHAPE: Record<SearchSort, CursorPart[]> = {
  relevance: ['bigint', 'uuid'],
  price: ['decimal', 'uuid'],
  newest: ['bigint', 'uuid'],
};

/**
 * Full-text search over active catalogue items in Russian and English with typo tolerance, filters on CPV
 * subtree, delivery city, supplier city or country and price, three orderings with keyset cursors, and facet
 * counts by CPV division. One statement on the search's own connections (CatalogSearchPool): the words are
 * resolved inside it (lexicon lookups for typos), and its plan does not depend on the values.
 */
@Injectable()
export class CatalogSearchService {
  constructor(
    private readonly pool: CatalogSearchPool,
    private readonly classifications: ClassificationService,
    private readonly directory: SupplierDirectory,
  ) {}

  async search(input: SearchInput): Promise<SearchResult> {
    const plan = await this.plan(input);
    const [row] = await this.pool.query<RawResult>(buildSearchSql(plan));
    return this.answer(plan, row);
  }

  private async answer(plan: SearchPlan, row: RawResult | undefined): Promise<SearchResult> {
    const divisions = await this.classifications.cpvDivisions();
    const hits = row?.hits ?? [];
    const items = hits.slice(0, plan.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ publishedUs: _u, bestPrice: _b, ...hit }) => hit),
      nextCursor: hits.length > plan.limit && last ? this.cursorOf(plan.sort, last) : null,
      total: row?.total ?? 0,
      totalExact: (row?.total ?? 0) < (plan.window ?? SEARCH_WINDOW),
      facets: (row?.facets ?? []).map((f) => {
        const division = divisions.get(f.division);
        return {
          division: f.division,
          code: division?.code ?? null,
          nameRu: division?.nameRu ?? null,
          nameEn: division?.nameEn ?? null,
          count: f.count,
        };
      }),
      currency: plan.currency,
      vatIncluded: plan.vatIncluded,
      sort: plan.sort,
      corrections: row?.corrections ?? [],
    };
  }

  /** Validates the input into a plan; every refusal is a 400 naming the parameter. */
  async plan(input: SearchInput): Promise<SearchPlan> {
    const q = input.q?.trim() ?? '';
    if (q.length > MAX_SEARCH_QUERY_LENGTH) {
      throw new SearchQueryTooLongError(`q is longer than ${MAX_SEARCH_QUERY_LENGTH} characters`, {
        field: 'q',
        maxLength: MAX_SEARCH_QUERY_LENGTH,
      });
    }
    const words = searchWords(q);
    const cpvPrefix = input.cpv
      ? this.classifications.cpvSubtreePrefix(await this.classifications.assertCpv(input.cpv, 'cpv'))
      : null;
    let areaKeys: string[] | null = null;
    let cityCountry: string | null = null;
    if (input.deliveryCityId) {
      const city = await this.directory.city(input.deliveryCityId);
      if (!city)
        throw new UnknownCityError('deliveryCityId is not a member city', { field: 'deliveryCityId' });
      areaKeys = keysReachingCity(city);
      cityCountry = city.country;
    }
    if (input.supplierCityId && !(await this.directory.city(input.supplierCityId))) {
      throw new UnknownCityError('supplierCityId is not a member city', { field: 'supplierCityId' });
    }
    const currency = input.currency ?? (cityCountry ? NATIONAL_CURRENCY[cityCountry] : undefined) ?? 'RUB';
    if (!isIsoCurrency(currency)) {
      throw new CurrencyInvalidError('currency must be an ISO 4217 code such as RUB or KZT', {
        field: 'currency',
      });
    }
    const priceMin = this.bound(input.priceMin, 'priceMin');
    const priceMax = this.bound(input.priceMax, 'priceMax');
    if (priceMin && priceMax && Number(priceMin) > Number(priceMax)) {
      throw new PriceRangeInvalidError('priceMin is above priceMax', { field: 'priceMin' });
    }
    const requested = input.sort ?? (words.length > 0 ? 'relevance' : 'newest');
    const sort: SearchSort = requested === 'relevance' && words.length === 0 ? 'newest' : requested;
    const after = input.cursor
      ? decodeCatalogCursor(input.cursor, `search-${sort}`, CURSOR_SHAPE[sort])
      : null;
    return {
      words,
      cpvPrefix,
      areaKeys,
      supplierCityId: input.supplierCityId ?? null,
      supplierCountry: input.supplierCountry ?? null,
      currency,
      priceMin,
      priceMax,
      withOffers: input.withOffers ?? false,
      vatIncluded: input.vatIncluded ?? null,
      sort,
      limit: input.limit,
      after,
    };
  }

  private bound(value: string | undefined, field: string): string | null {
    if (value === undefined) return null;
    const checked = checkPrice(value, { allowZero: true });
    if (!checked.ok)
      throw new PriceInvalidError(priceMessage(field, checked.problem), { field, problem: checked.problem });
    return checked.amount;
  }

  private cursorOf(sort: SearchSort, hit: RawHit): string {
    const key =
      sort === 'relevance' ? hit.score : sort === 'price' ? (hit.bestPrice ?? '0') : hit.publishedUs;
    return encodeCatalogCursor(`search-${sort}`, [key, hit.id]);
  }
}

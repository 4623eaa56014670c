import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsId, QueryBoolean, QueryWholeNumber } from '../../common/validation';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  SEARCH_SORTS,
  type SearchFacet,
  type SearchHit,
  type SearchResult,
  type SearchSort,
} from '@app/catalog';
import { CpvRefDto, UnitDto } from './catalog-item.dto';
import { OfferSupplierDto } from './offer.dto';

export class CatalogueSearchQueryDto {
  @ApiPropertyOptional({
    description: 'Words in Russian or English (at most 200 characters)',
    example: 'бумага A4',
  })
  @IsOptional()
  @IsString()
  q?: string;

  @ApiPropertyOptional({ example: '30197630-1', description: 'Only items classified under this CPV code' })
  @IsOptional()
  @IsString()
  cpv?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only offers delivering to this member city count' })
  @IsOptional()
  @IsId()
  deliveryCityId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only offers of suppliers registered in this city count',
  })
  @IsOptional()
  @IsId()
  supplierCityId?: string;

  @ApiPropertyOptional({
    example: 'RU',
    description: 'Only offers of suppliers registered in this country count',
  })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'supplierCountry must be an ISO 3166-1 alpha-2 code' })
  supplierCountry?: string;

  @ApiPropertyOptional({
    example: 'RUB',
    description:
      'Offers are compared in one currency: this one, else the delivery city’s national one, else RUB',
  })
  @IsOptional()
  @IsString()
  currency?: string;

  @ApiPropertyOptional({ example: '100.00', description: 'Decimal string' })
  @IsOptional()
  @IsString()
  priceMin?: string;

  @ApiPropertyOptional({ example: '5000.00', description: 'Decimal string' })
  @IsOptional()
  @IsString()
  priceMax?: string;

  @ApiPropertyOptional({ description: 'Only items with at least one current offer', default: false })
  @IsOptional()
  @QueryBoolean()
  withOffers?: boolean;

  @ApiPropertyOptional({
    description:
      'Only offers whose price includes VAT (true) or excludes it (false) count: prices are compared on one ' +
      "basis. Unset, offers count as they are priced, and each hit's best offer says its basis (vatIncluded)",
  })
  @IsOptional()
  @QueryBoolean()
  vatIncluded?: boolean;

  @ApiPropertyOptional({ enum: SEARCH_SORTS, description: 'Default: relevance with words, newest without' })
  @IsOptional()
  @IsIn([...SEARCH_SORTS])
  sort?: SearchSort;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 20 })
  @IsOptional()
  @QueryWholeNumber()
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (same query and sort)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class BestOfferDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '349.90' }) price: string;
  @ApiProperty({ example: 'RUB' }) currency: string;
  @ApiProperty() vatIncluded: boolean;
  @ApiProperty({ example: '1' }) minQuantity: string;
  @ApiProperty() leadTimeDays: number;
  @ApiProperty({ type: String, format: 'date-time' }) validUntil: string;
  @ApiProperty({ type: OfferSupplierDto }) supplier: OfferSupplierDto;
}

export class SearchHitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() titleRu: string;
  @ApiProperty({ type: String, nullable: true }) titleEn: string | null;
  @ApiProperty({ type: CpvRefDto }) cpv: CpvRefDto;
  @ApiProperty({ type: UnitDto }) unit: UnitDto;
  @ApiProperty({ type: String, format: 'date-time' }) publishedAt: string;
  @ApiProperty({ description: 'Relevance ×10⁶ when sorted by relevance, else 0' }) score: number;
  @ApiProperty({ description: 'Current offers that match the filters, in the search currency' })
  offerCount: number;
  @ApiProperty({ type: BestOfferDto, nullable: true, description: 'The cheapest of them' })
  bestOffer: BestOfferDto | null;

  static from(hit: SearchHit): SearchHitDto {
    return {
      id: hit.id,
      titleRu: hit.titleRu,
      titleEn: hit.titleEn,
      cpv: { code: hit.cpvCode, nameRu: hit.cpvNameRu, nameEn: hit.cpvNameEn },
      unit: UnitDto.of(hit.unitCode),
      publishedAt: new Date(hit.publishedAt).toISOString(),
      score: hit.score,
      offerCount: hit.offerCount,
      bestOffer: hit.offer
        ? { ...hit.offer, validUntil: new Date(hit.offer.validUntil).toISOString() }
        : null,
    };
  }
}

export class SearchFacetDto {
  @ApiProperty({ example: '30', description: 'The two digits of a CPV division' }) division: string;
  @ApiProperty({ type: String, nullable: true, example: '30000000-9' }) code: string | null;
  @ApiProperty({ type: String, nullable: true }) nameRu: string | null;
  @ApiProperty({ type: String, nullable: true }) nameEn: string | null;
  @ApiProperty() count: number;

  static from(f: SearchFacet): SearchFacetDto {
    return { ...f };
  }
}

export class SearchCorrectionDto {
  @ApiProperty({ example: 'бумгаа' }) word: string;
  @ApiProperty({ type: [String], example: ['бумага'] }) suggestions: string[];
}

export class SearchResultDto {
  @ApiProperty({ type: [SearchHitDto] }) items: SearchHitDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ description: 'Matching items (capped: see totalExact)' }) total: number;
  @ApiProperty({
    description:
      'False when more items match than a search examines (1,000): total, facets and ordering then cover ' +
      'the first 1,000 matches found; refine the query to see the rest',
  })
  totalExact: boolean;
  @ApiProperty({ type: [SearchFacetDto], description: 'Matching items by top-level CPV division' })
  facets: SearchFacetDto[];
  @ApiProperty({ example: 'RUB' }) currency: string;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'The VAT basis offers were compared on (the vatIncluded asked for); null: each as priced',
  })
  vatIncluded: boolean | null;
  @ApiProperty({ enum: SEARCH_SORTS }) sort: string;
  @ApiProperty({
    type: [SearchCorrectionDto],
    description: 'Words not in the catalogue and what they also matched',
  })
  corrections: SearchCorrectionDto[];

  static from(result: SearchResult): SearchResultDto {
    return {
      items: result.items.map((h) => SearchHitDto.from(h)),
      nextCursor: result.nextCursor,
      total: result.total,
      totalExact: result.totalExact,
      facets: result.facets.map((f) => SearchFacetDto.from(f)),
      currency: result.currency,
      vatIncluded: result.vatIncluded,
      sort: result.sort,
      corrections: result.corrections,
    };
  }
}

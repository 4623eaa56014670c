import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  documentContent,
  HttpUrl,
  IsId,
  IsTimestamp,
  Optional,
  UnitCode,
  MinText,
} from '../../common/validation';
import { DIRECT_REASONS, type DirectReason, TENDER_METHODS, type TenderMethod } from '@app/domain';
import { AreCharacteristics, CharacteristicDto } from '../../catalog/dto/catalog-item-input.dto';

/** Money as a decimal string: at most 2 decimals, at most 1e12. Never a float. */
export const AMOUNT = /^(0|[1-9]\d{0,11})(\.\d{1,2})?$/;
const QUANTITY = /^(0|[1-9]\d{0,11})(\.\d{1,3})?$/;
const AMOUNT_MESSAGE = 'must be a decimal string with at most 2 decimals, e.g. "1250.50"';

export class ClassificationDto {
  @ApiProperty({ example: 'CPV', enum: ['CPV'] })
  @IsIn(['CPV'])
  scheme: 'CPV';

  @ApiProperty({ example: '30197630-1' })
  @Matches(/^\d{8}-\d$/, { message: 'id must be a CPV code like 30197630-1' })
  id: string;
}

export class BuyerQuantityDto {
  @ApiProperty({ format: 'uuid' }) @IsId() buyerId: string;
  @ApiProperty({ example: '120' })
  @Matches(QUANTITY, { message: 'quantity must be a decimal string' })
  quantity: string;
}

export class BuyerShareDto {
  @ApiProperty({ format: 'uuid' }) @IsId() buyerId: string;
  @ApiProperty({ example: '50000.00' })
  @Matches(AMOUNT, { message: `amount ${AMOUNT_MESSAGE}` })
  amount: string;
}

export class ItemDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsId()
  catalogItemId?: string;

  @ApiProperty({ example: 'Бумага офисная A4, 80 г/м², 500 листов' })
  @IsString()
  @MinLength(3)
  @MinText(3)
  @MaxLength(2000)
  description: string;

  @ApiPropertyOptional({
    type: [CharacteristicDto],
    default: [],
    description:
      'A free item’s characteristics, as a catalogue item’s; none with a catalogItemId (its card has them). ' +
      'A contract for the item counts in the reference price of a request for these characteristics.',
  })
  @AreCharacteristics()
  characteristics?: CharacteristicDto[];

  @ApiProperty({ type: ClassificationDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ClassificationDto)
  classification: ClassificationDto;

  @ApiProperty({ example: 'XPK', description: 'UN/ECE Recommendation 20 unit code, or its ОКЕИ code' })
  @UnitCode()
  @IsString()
  @Matches(/^[A-Z0-9]{2,3}$/, { message: 'unitCode must be a UN/ECE Recommendation 20 code' })
  unitCode: string;

  @ApiProperty({ example: '200' })
  @Matches(QUANTITY, { message: 'quantity must be a positive decimal string with at most 3 decimals' })
  quantity: string;

  @ApiPropertyOptional({ type: [BuyerQuantityDto], description: 'Joint tenders: each buyer’s quantity' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BuyerQuantityDto)
  quantities?: BuyerQuantityDto[];

  @ApiProperty({ format: 'uuid' })
  @IsId()
  deliveryCityId: string;

  @ApiProperty({ example: '2027-03-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'deliveryDate must be YYYY-MM-DD' })
  @IsTimestamp()
  deliveryDate: string;
}

export class LotDto {
  @ApiProperty({ example: 'Office paper' })
  @IsString()
  @MinLength(2)
  @MinText(2)
  @MaxLength(300)
  title: string;

  @ApiProperty({ example: '150000.00', description: 'Maximum price (НМЦК) in the tender currency' })
  @Matches(AMOUNT, { message: `estimate ${AMOUNT_MESSAGE}` })
  estimate: string;

  @ApiPropertyOptional({
    type: [BuyerShareDto],
    description: 'Joint tenders: each buyer’s share of the estimate',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BuyerShareDto)
  shares?: BuyerShareDto[];

  @ApiProperty({ type: [ItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ItemDto)
  items: ItemDto[];
}

export class DocumentDto {
  @ApiProperty({ example: 'Technical specification' })
  @IsString()
  @MinLength(1)
  @MinText(1)
  @MaxLength(300)
  title: string;

  @ApiProperty({ example: 'https://docs.example.org/spec.pdf' })
  @HttpUrl()
  @MaxLength(2000)
  url: string;

  @ApiProperty({ description: 'Hex SHA-256 of the document' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex characters' })
  sha256: string;
}

export class LocalPreferenceDto {
  @ApiProperty({ enum: ['city', 'region', 'country', 'eaeu'] })
  @IsIn(['city', 'region', 'country', 'eaeu'])
  scope: 'city' | 'region' | 'country' | 'eaeu';

  @ApiProperty({ example: '15', description: '0 to 25' })
  @Matches(/^(\d{1,2})(\.\d{1,2})?$/, { message: 'percent must be a decimal string from 0 to 25' })
  percent: string;
}

export class PeriodEndDto {
  @ApiProperty({ type: String, format: 'date-time' })
  @IsTimestamp()
  endDate: string;
}

export class DirectAwardDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The supplier organisation the contract is made with (active)',
  })
  @IsId()
  supplierId: string;

  @ApiProperty({
    enum: DIRECT_REASONS,
    description:
      'small_purchase: within the threshold the law allows without competition; sole_supplier: only it can ' +
      'deliver (exclusive rights, natural monopoly, utility); emergency; failed_competition: a tender for the need ' +
      'failed (relatedTenderId names it); other: another reason the law allows (say which in the rationale)',
  })
  @IsIn(DIRECT_REASONS)
  reason: DirectReason;

  @ApiProperty({ example: 'Единственный поставщик тепловой энергии в городе (естественная монополия)' })
  @IsString()
  @MinLength(20)
  @MinText(20)
  @MaxLength(2000)
  rationale: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'An earlier published tender of the organiser that was unsuccessful, wholly or in a lot',
  })
  @Optional()
  @IsId()
  relatedTenderId?: string;
}

export class TenderInputDto {
  @ApiProperty({ example: 'Office paper for city schools, 2027' })
  @IsString()
  @MinLength(5)
  @MinText(5)
  @MaxLength(500)
  title: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(20000)
  description?: string;

  @ApiProperty({ example: 'RUB' })
  @IsIn(['RUB', 'KZT', 'BYN', 'KGS', 'AMD', 'MDL', 'TJS', 'UZS', 'UAH', 'GEL', 'AZN', 'USD', 'EUR', 'CNY'], {
    message: 'currency must be an ISO 4217 code of a member country (or USD, EUR, CNY)',
  })
  currency: string;

  @ApiProperty({
    enum: TENDER_METHODS,
    description:
      'open: an open tender. quotation: a quotation session, a short request (QUOTATION_MIN_HOURS to ' +
      'QUOTATION_MAX_HOURS) for one catalogue item, one lot and one buyer, without enquiries or questions, open ' +
      'to the suppliers with a current offer for the item; its lowest evaluated price wins automatically. ' +
      'direct: the report of a direct purchase, made without competition with the supplier in directAward; ' +
      'published, it is awarded at once at each lot estimate. auction: an electronic auction, sealed first bids ' +
      'opened at the deadline, then a live descending auction among their suppliers (each new price beats the ' +
      'lowest by auctionStepPercent of the lot estimate, and moves the end to AUCTION_ROUND_SECONDS later); ' +
      'the lowest evaluated last price wins.',
  })
  @IsIn(TENDER_METHODS)
  method: TenderMethod;

  @ApiPropertyOptional({
    example: '1',
    description:
      "An electronic auction's alone, and required there: its minimal step, 0.5 to 5 percent of each lot's estimate",
  })
  @Optional()
  @Matches(/^\d{1,3}(\.\d{1,2})?$/, {
    message: 'auctionStepPercent must be a decimal string with at most 2 decimals, e.g. "1" or "0.5"',
  })
  auctionStepPercent?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 1 })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(10)
  minBids?: number;

  @ApiPropertyOptional({ type: LocalPreferenceDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => LocalPreferenceDto)
  localPreference?: LocalPreferenceDto;

  @ApiPropertyOptional({ type: PeriodEndDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => PeriodEndDto)
  enquiryPeriod?: PeriodEndDto;

  @ApiPropertyOptional({
    type: PeriodEndDto,
    description: 'The submission deadline; required but for a direct purchase',
  })
  @ValidateIf((dto: TenderInputDto) => dto.method !== 'direct' || dto.tenderPeriod !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => PeriodEndDto)
  tenderPeriod?: PeriodEndDto;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Questions until (default: enquiry end)',
  })
  @Optional()
  @IsTimestamp()
  clarificationsUntil?: string;

  @ApiPropertyOptional({ type: [String], description: 'Joint procurement: other buyer organisations' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(19)
  @IsId({ each: true })
  jointBuyerIds?: string[];

  @ApiPropertyOptional({
    type: DirectAwardDto,
    description: 'A direct purchase alone: the supplier, the legal reason and the rationale',
  })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => DirectAwardDto)
  directAward?: DirectAwardDto;

  @ApiProperty({ type: [LotDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LotDto)
  lots: LotDto[];

  @ApiPropertyOptional({ type: [DocumentDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique(documentContent, { message: 'documents must not hold the same document (sha256) twice' })
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DocumentDto)
  documents?: DocumentDto[];
}

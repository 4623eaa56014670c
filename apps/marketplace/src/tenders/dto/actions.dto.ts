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
  ValidateNested,
} from 'class-validator';
import {
  COMPLAINT_STATUSES,
  CONTRACT_STATUSES,
  type ComplaintStatus,
  type ContractStatus,
} from '@app/domain';
import { documentContent, IsId, IsTimestamp, Optional, MinText } from '../../common/validation';
import { PageQueryDto } from '../../common/pagination.dto';
import { AMOUNT, DocumentDto, PeriodEndDto } from './tender-input.dto';

export class BidLotDto {
  @ApiProperty({ format: 'uuid' }) @IsId() lotId: string;
  @ApiProperty({ example: '142500.00' })
  @Matches(AMOUNT, { message: 'price must be a decimal string with at most 2 decimals, e.g. "1250.50"' })
  price: string;
}

export class AuctionBidDto {
  @ApiProperty({ format: 'uuid' }) @IsId() lotId: string;
  @ApiProperty({ example: '141000.00', description: 'Your new price on the lot, in the tender currency' })
  @Matches(AMOUNT, { message: 'price must be a decimal string with at most 2 decimals, e.g. "1250.50"' })
  price: string;
}

export class BidDto {
  @ApiProperty({ example: 'RUB', description: 'Must be the tender currency' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency: string;

  @ApiProperty({ type: [BidLotDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BidLotDto)
  lots: BidLotDto[];

  @ApiPropertyOptional({
    type: [DocumentDto],
    description: 'Sealed with the prices: revealed at the opening, covered by the commitment',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DocumentDto)
  documents?: DocumentDto[];
}

export class QuestionDto {
  @ApiProperty() @IsString() @MinLength(3) @MinText(3) @MaxLength(5000) text: string;
  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsId() lotId?: string;
}

export class AnswerDto {
  @ApiProperty() @IsString() @MinLength(1) @MinText(1) @MaxLength(10000) answer: string;
}

export class TenderReasonDto {
  @ApiProperty() @IsString() @MinLength(3) @MinText(3) @MaxLength(2000) reason: string;
}

export class LotAmendmentDto {
  @ApiProperty({ format: 'uuid' }) @IsId() lotId: string;
  @ApiPropertyOptional() @Optional() @IsString() @MinLength(2) @MinText(2) @MaxLength(300) title?: string;
  @ApiPropertyOptional()
  @Optional()
  @Matches(AMOUNT, { message: 'estimate must be a decimal string' })
  estimate?: string;
}

export class AmendmentDto {
  @ApiProperty({ description: 'Why the tender changes; published with the amendment' })
  @IsString()
  @MinLength(5)
  @MinText(5)
  @MaxLength(5000)
  rationale: string;

  @ApiPropertyOptional() @Optional() @IsString() @MinLength(5) @MinText(5) @MaxLength(500) title?: string;
  @ApiPropertyOptional() @Optional() @IsString() @MaxLength(20000) description?: string;

  @ApiPropertyOptional({ type: PeriodEndDto })
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => PeriodEndDto)
  tenderPeriod?: PeriodEndDto;

  @ApiPropertyOptional({ type: [LotAmendmentDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LotAmendmentDto)
  lots?: LotAmendmentDto[];

  @ApiPropertyOptional({ type: [DocumentDto] })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique(documentContent, { message: 'addDocuments must not hold the same document (sha256) twice' })
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DocumentDto)
  addDocuments?: DocumentDto[];
}

export const TENDER_STATUS_VALUES = [
  'active.enquiries',
  'active.tendering',
  'active.auction',
  'active.qualification',
  'active.awarded',
  'complete',
  'cancelled',
  'unsuccessful',
] as const;

export class TenderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TENDER_STATUS_VALUES })
  @Optional()
  @IsIn([...TENDER_STATUS_VALUES])
  status?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsId() buyerCityId?: string;
  @ApiPropertyOptional({ example: '30190000-7', description: 'CPV code; its whole subtree matches' })
  @Optional()
  @Matches(/^\d{8}-\d$/, { message: 'cpv must be a CPV code like 30197630-1' })
  cpv?: string;
  @ApiPropertyOptional({ enum: ['open', 'auction', 'quotation', 'direct'] })
  @Optional()
  @IsIn(['open', 'auction', 'quotation', 'direct'])
  method?: string;
  @ApiPropertyOptional({
    example: 'RUB',
    description: 'The tender currency; a value range compares amounts within it, so give both',
  })
  @Optional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;
  @ApiPropertyOptional({ description: 'In the tenders’ own currencies unless currency is given' })
  @Optional()
  @Matches(AMOUNT, { message: 'valueMin must be a decimal string' })
  valueMin?: string;
  @ApiPropertyOptional({ description: 'In the tenders’ own currencies unless currency is given' })
  @Optional()
  @Matches(AMOUNT, { message: 'valueMax must be a decimal string' })
  valueMax?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsTimestamp()
  publishedFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsTimestamp()
  publishedTo?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsTimestamp()
  deadlineFrom?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  @Optional()
  @IsTimestamp()
  deadlineTo?: string;
  @ApiPropertyOptional({ description: 'Words in Russian or English' })
  @Optional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ChangesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @Optional() @IsId() tenderId?: string;
}

export class ComplaintDto {
  @ApiProperty({ description: 'What was wrong with the award, and why' })
  @IsString()
  @MinLength(10)
  @MinText(10)
  @MaxLength(5000)
  text: string;
}

export class ComplaintDecisionDto {
  @ApiProperty({ enum: ['upheld', 'dismissed'] })
  @IsIn(['upheld', 'dismissed'], { message: 'decision must be upheld or dismissed' })
  decision: 'upheld' | 'dismissed';
  @ApiProperty() @IsString() @MinLength(3) @MinText(3) @MaxLength(2000) reason: string;
}

export class ComplaintQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES })
  @Optional()
  @IsIn(COMPLAINT_STATUSES, { message: 'status must be pending, upheld, dismissed or closed' })
  status?: ComplaintStatus;
}

export class MyContractsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: CONTRACT_STATUSES,
    description: 'Only contracts in this status: buyer_signed, for a supplier, lists those it is to confirm',
  })
  @Optional()
  @IsIn(CONTRACT_STATUSES, { message: 'status must be pending, buyer_signed, signed or cancelled' })
  status?: ContractStatus;
}

/** A joint buyer's confirmation of its part of a draft, in the revision it read. */
export class ParticipationDto {
  @ApiProperty({
    description:
      "The draft's `revision` the buyer read (GET /tenders/:id/draft); if the draft has been saved since, 409 DRAFT_CHANGED",
    example: 1,
  })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  revision: number;
}

/** A supplier's confirmation of its unchanged bid under the terms as amended, as it read them. */
export class ConfirmBidDto {
  @ApiProperty({
    description:
      "The tender's `amendmentCount` the supplier read (GET /tenders/:id); if the tender has been amended since, " +
      '409 TENDER_AMENDED_SINCE and the bid stays on hold',
    example: 1,
  })
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  amendment: number;
}

import { ApiProperty } from '@nestjs/swagger';
import { EFFECTIVE_OFFER_STATUSES, type OfferView } from '@app/catalog';
import { RegionDto } from './offer-input.dto';

export class OfferSupplierDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() legalName: string;
  @ApiProperty({ format: 'uuid' }) cityId: string;
  @ApiProperty({ example: 'RU' }) country: string;
}

export class DeliveryAreaViewDto {
  @ApiProperty({ type: [String], format: 'uuid' }) cityIds: string[];
  @ApiProperty({ type: [RegionDto] }) regions: RegionDto[];
  @ApiProperty({ type: [String] }) countries: string[];
}

export class OfferDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) itemId: string;
  @ApiProperty({ type: OfferSupplierDto }) supplier: OfferSupplierDto;
  @ApiProperty({ example: '349.90' }) price: string;
  @ApiProperty({ example: 'RUB' }) currency: string;
  @ApiProperty() vatIncluded: boolean;
  @ApiProperty({ example: '10' }) minQuantity: string;
  @ApiProperty({ type: DeliveryAreaViewDto }) deliveryArea: DeliveryAreaViewDto;
  @ApiProperty() leadTimeDays: number;
  @ApiProperty({ type: String, format: 'date-time' }) validFrom: string;
  @ApiProperty({ type: String, format: 'date-time' }) validUntil: string;
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status: string;
  @ApiProperty({
    enum: EFFECTIVE_OFFER_STATUSES,
    description:
      'As of the database clock: expired and scheduled offers never count; unlisted: its catalogue item was ' +
      'archived or merged, so the offer shows nowhere',
  })
  effectiveStatus: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;

  static from(o: OfferView): OfferDto {
    return {
      id: o.id,
      itemId: o.itemId,
      supplier: { ...o.supplier },
      price: o.price,
      currency: o.currency,
      vatIncluded: o.vatIncluded,
      minQuantity: o.minQuantity,
      deliveryArea: o.deliveryArea,
      leadTimeDays: o.leadTimeDays,
      validFrom: o.validFrom.toISOString(),
      validUntil: o.validUntil.toISOString(),
      status: o.status,
      effectiveStatus: o.effectiveStatus,
      createdAt: o.createdAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
    };
  }
}

export class OfferPageDto {
  @ApiProperty({ type: [OfferDto] }) items: OfferDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  type CatalogItem,
  type CatalogItemVersion,
  type ClassificationRef,
  findUnit,
  UNITS_OF_MEASURE,
} from '@app/catalog';
import { CharacteristicDto, DocumentLinkDto } from './catalog-item-input.dto';

export class UnitDto {
  @ApiProperty({ example: 'XPK', description: 'UN/ECE Recommendation 20' }) code: string;
  @ApiProperty({ type: String, nullable: true, example: '778', description: 'ОКЕИ' }) okei: string | null;
  @ApiProperty({ example: 'упаковка' }) nameRu: string;
  @ApiProperty({ example: 'package' }) nameEn: string;
  @ApiProperty({ example: 'упак' }) symbolRu: string;

  static of(code: string): UnitDto {
    const unit = findUnit(code) ?? UNITS_OF_MEASURE[0];
    return { ...(unit as UnitDto), code };
  }
}

export class CpvRefDto {
  @ApiProperty({ example: '30197630-1' }) code: string;
  @ApiProperty({ type: String, nullable: true, example: 'Бумага для печати' }) nameRu: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Printing paper' }) nameEn: string | null;

  static of(code: string, ref?: ClassificationRef): CpvRefDto {
    return { code, nameRu: ref?.nameRu ?? null, nameEn: ref?.nameEn ?? null };
  }
}

/** A catalogue item as anyone may see it; who proposed it is an organisation, never a person. */
export class CatalogItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['draft', 'pending', 'active', 'archived'] }) status: string;
  @ApiProperty() titleRu: string;
  @ApiProperty({ type: String, nullable: true }) titleEn: string | null;
  @ApiProperty() descriptionRu: string;
  @ApiProperty({ type: String, nullable: true }) descriptionEn: string | null;
  @ApiProperty({ type: CpvRefDto }) cpv: CpvRefDto;
  @ApiProperty({ type: UnitDto }) unit: UnitDto;
  @ApiProperty({ type: [CharacteristicDto] }) characteristics: CharacteristicDto[];
  @ApiProperty({ type: [String] }) imageUrls: string[];
  @ApiProperty({ type: [DocumentLinkDto] }) documents: DocumentLinkDto[];
  @ApiProperty({ format: 'uuid' }) proposedByOrganizationId: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'Set on a merged duplicate' })
  mergedIntoId: string | null;
  @ApiProperty({ type: String, nullable: true }) rejectionReason: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) publishedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;

  static from(item: CatalogItem, cpv?: ClassificationRef): CatalogItemDto {
    return {
      id: item.id,
      status: item.status,
      titleRu: item.titleRu,
      titleEn: item.titleEn,
      descriptionRu: item.descriptionRu,
      descriptionEn: item.descriptionEn,
      cpv: CpvRefDto.of(item.classificationCode, cpv),
      unit: UnitDto.of(item.unitCode),
      characteristics: item.characteristics,
      imageUrls: item.imageUrls,
      documents: item.documents,
      proposedByOrganizationId: item.proposedByOrganizationId,
      mergedIntoId: item.mergedIntoId,
      rejectionReason: item.rejectionReason,
      version: item.version,
      publishedAt: item.publishedAt?.toISOString() ?? null,
      createdAt: item.createdAt.toISOString(),
      updatedAt: item.updatedAt.toISOString(),
    };
  }
}

export class CatalogItemPageDto {
  @ApiProperty({ type: [CatalogItemDto] }) items: CatalogItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class CatalogItemVersionDto {
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['proposed', 'edited', 'submitted', 'approved', 'rejected', 'merged', 'archived'] })
  action: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The person who acted: only to operators and to that person’s own organisation',
  })
  actorUserId?: string;
  @ApiProperty({ format: 'uuid' }) actorOrganizationId: string;
  @ApiProperty({ example: 'operator' }) actorRole: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Each changed field with its value before and after',
    example: { titleRu: { from: 'Бумага', to: 'Бумага офисная' } },
  })
  changes: Record<string, { from: unknown; to: unknown }>;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;

  /**
   * A version as `viewer` may see it: who acted is an organisation and a role; the user, personal data, only
   * for operators and the user's own organisation.
   */
  static from(
    v: CatalogItemVersion,
    viewer: { organizationId: string; role: string } | null,
  ): CatalogItemVersionDto {
    const person =
      viewer !== null && (viewer.role === 'operator' || viewer.organizationId === v.actorOrganizationId);
    return {
      version: v.version,
      action: v.action,
      ...(person ? { actorUserId: v.actorUserId } : {}),
      actorOrganizationId: v.actorOrganizationId,
      actorRole: v.actorRole,
      changes: v.changes,
      reason: v.reason,
      at: v.createdAt.toISOString(),
    };
  }
}

export class CatalogItemVersionPageDto {
  @ApiProperty({ type: [CatalogItemVersionDto] }) items: CatalogItemVersionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

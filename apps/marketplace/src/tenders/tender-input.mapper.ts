import type { TenderInput } from '@app/domain';
import type { TenderInputDto } from './dto/tender-input.dto';

/** HTTP body -> domain input: dates parsed, CPV taken from the classification pair. */
export function toTenderInput(dto: TenderInputDto): TenderInput {
  return {
    title: dto.title,
    description: dto.description,
    currency: dto.currency,
    method: dto.method,
    auctionStepPercent: dto.auctionStepPercent ?? null,
    minBids: dto.minBids,
    localPreference: dto.localPreference ?? null,
    enquiryEnd: dto.enquiryPeriod ? new Date(dto.enquiryPeriod.endDate) : null,
    tenderEnd: dto.tenderPeriod ? new Date(dto.tenderPeriod.endDate) : null,
    clarificationsUntil: dto.clarificationsUntil ? new Date(dto.clarificationsUntil) : null,
    jointBuyerIds: dto.jointBuyerIds,
    directAward: dto.directAward ?? null,
    lots: dto.lots.map((lot) => ({
      title: lot.title,
      estimate: lot.estimate,
      shares: lot.shares,
      items: lot.items.map((item) => ({
        catalogItemId: item.catalogItemId ?? null,
        description: item.description,
        characteristics: item.characteristics ?? [],
        cpvCode: item.classification.id,
        unitCode: item.unitCode,
        quantity: item.quantity,
        quantities: item.quantities,
        deliveryCityId: item.deliveryCityId,
        deliveryDate: item.deliveryDate,
      })),
    })),
    documents: dto.documents,
  };
}

import { Injectable } from '@nestjs/common';
import { DeliveryArea, deliveryAreaKeys } from './delivery-area';
import { checkPrice, isIsoCurrency } from './money';
import {
  CurrencyInvalidError,
  DeliveryAreaInvalidError,
  OfferValidityInvalidError,
  PriceInvalidError,
  QuantityInvalidError,
  UnknownCityError,
} from './offer.errors';
import type { OfferInput } from './offers.service';
import { SupplierDirectory } from './supplier-directory';

const MAX_VALIDITY_YEARS = 5;
const QUANTITY = /^\d{1,9}(\.\d{1,3})?$/;

export interface CheckedOffer {
  price?: string;
  currency?: string;
  vatIncluded?: boolean;
  minQuantity?: string;
  /** Delivery keys (see deliveryAreaKeys). */
  deliveryArea?: string[];
  leadTimeDays?: number;
  validFrom?: Date;
  validUntil?: Date;
}

/** Checks what a supplier sends for an offer, beyond the shape the HTTP layer already validated. */
@Injectable()
export class OfferInputChecker {
  constructor(private readonly directory: SupplierDirectory) {}

  /** The fields given, each checked and normalised; every refusal is a 400 naming the field. */
  async check(input: Partial<OfferInput>): Promise<CheckedOffer> {
    const out: CheckedOffer = {};
    if (input.price !== undefined) {
      const price = checkPrice(input.price);
      if (!price.ok)
        throw new PriceInvalidError(
          priceMessage('price', price.problem),
          priceDetails('price', price.problem),
        );
      out.price = price.amount;
    }
    if (input.currency !== undefined) {
      if (!isIsoCurrency(input.currency)) {
        throw new CurrencyInvalidError('currency must be an ISO 4217 code such as RUB or KZT', {
          field: 'currency',
        });
      }
      out.currency = input.currency;
    }
    if (input.minQuantity !== undefined) {
      if (!QUANTITY.test(input.minQuantity) || Number(input.minQuantity) <= 0) {
        throw new QuantityInvalidError('minQuantity must be a positive decimal with at most 3 decimals', {
          field: 'minQuantity',
        });
      }
      out.minQuantity = input.minQuantity;
    }
    if (input.deliveryArea !== undefined) out.deliveryArea = await this.checkedArea(input.deliveryArea);
    if (input.vatIncluded !== undefined) out.vatIncluded = input.vatIncluded;
    if (input.leadTimeDays !== undefined) out.leadTimeDays = input.leadTimeDays;
    if (input.validFrom !== undefined) out.validFrom = new Date(input.validFrom);
    if (input.validUntil !== undefined) out.validUntil = new Date(input.validUntil);
    return out;
  }

  private async checkedArea(area: Partial<DeliveryArea>): Promise<string[]> {
    const keys = deliveryAreaKeys(area);
    if (keys.length === 0) {
      throw new DeliveryAreaInvalidError('deliveryArea needs at least one city, region or country', {
        field: 'deliveryArea',
      });
    }
    const cityIds = area.cityIds ?? [];
    const known = await this.directory.knownCities(cityIds);
    const unknownCity = cityIds.find((id) => !known.has(id.toLowerCase()));
    if (unknownCity) {
      throw new UnknownCityError('deliveryArea.cityIds names a city that is not a member city', {
        field: 'deliveryArea.cityIds',
      });
    }
    if ((area.regions?.length ?? 0) + (area.countries?.length ?? 0) > 0) {
      const { regions, countries } = await this.directory.knownRegionsAndCountries();
      if ((area.regions ?? []).some((r) => !regions.has(`${r.country}:${r.region}`))) {
        throw new DeliveryAreaInvalidError('deliveryArea.regions names a region without member cities', {
          field: 'deliveryArea.regions',
        });
      }
      if ((area.countries ?? []).some((c) => !countries.has(c))) {
        throw new DeliveryAreaInvalidError('deliveryArea.countries names a country without member cities', {
          field: 'deliveryArea.countries',
        });
      }
    }
    return keys;
  }
}

/** An offer must end after it starts and after now, and last at most five years from now. */
export function assertValidity(from: Date, until: Date, now: Date): void {
  if (until <= from || until <= now) {
    throw new OfferValidityInvalidError('validUntil must be later than validFrom and than now', {
      field: 'validUntil',
    });
  }
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_VALIDITY_YEARS);
  if (until > limit) {
    throw new OfferValidityInvalidError(`An offer is valid for at most ${MAX_VALIDITY_YEARS} years`, {
      field: 'validUntil',
    });
  }
}

export function priceMessage(field: string, problem: string): string {
  switch (problem) {
    case 'TOO_MANY_DECIMALS':
      return `${field} has more than 2 decimals`;
    case 'NOT_POSITIVE':
      return `${field} must be positive`;
    case 'TOO_LARGE':
      return `${field} is above 1e12`;
    default:
      return `${field} must be a decimal string such as "350.00"`;
  }
}

export function priceDetails(field: string, problem: string): Record<string, unknown> {
  return { field, problem };
}

/**
 * Where an offer delivers: whole countries, regions of a country, or single member cities. Stored as one array
 * of keys so that "delivers to this city" is a single GIN-indexable overlap with the city's three keys.
 */
export interface DeliveryArea {
  cityIds: string[];
  regions: { country: string; region: string }[];
  countries: string[];
}

export interface AreaCity {
  id: string;
  country: string;
  region: string;
}

export const cityKey = (id: string) => `c:${id}`;
export const regionKey = (country: string, region: string) => `r:${country}:${region}`;
export const countryKey = (country: string) => `k:${country}`;

/** The keys of an area, without duplicates, in a stable order. */
export function deliveryAreaKeys(area: Partial<DeliveryArea>): string[] {
  const keys = [
    ...(area.countries ?? []).map(countryKey),
    ...(area.regions ?? []).map((r) => regionKey(r.country, r.region)),
    ...(area.cityIds ?? []).map((id) => cityKey(id.toLowerCase())),
  ];
  return [...new Set(keys)].sort();
}

/** Reads keys back into the area they describe; unknown keys are ignored. */
export function describeDeliveryArea(keys: readonly string[]): DeliveryArea {
  const area: DeliveryArea = { cityIds: [], regions: [], countries: [] };
  for (const key of keys) {
    if (key.startsWith('c:')) area.cityIds.push(key.slice(2));
    else if (key.startsWith('k:')) area.countries.push(key.slice(2));
    else if (key.startsWith('r:')) {
      const rest = key.slice(2);
      const colon = rest.indexOf(':');
      if (colon > 0) area.regions.push({ country: rest.slice(0, colon), region: rest.slice(colon + 1) });
    }
  }
  return area;
}

/** The keys any offer delivering to this city carries at least one of. */
export function keysReachingCity(city: AreaCity): string[] {
  return [cityKey(city.id), regionKey(city.country, city.region), countryKey(city.country)];
}

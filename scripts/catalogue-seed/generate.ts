/**
 * Deterministic, plausible catalogue data: the same index always yields the same item or offer, so seeding
 * is idempotent and a benchmark sees the same catalogue on every machine. Names are built from CPV names,
 * invented brands, product words and sizes; nothing here is a real brand.
 */

export interface CpvEntry {
  code: string;
  nameRu: string;
  nameEn: string;
}

export interface SeedCity {
  id: string;
  country: string;
  region: string;
}

export interface SeedSupplier {
  id: string;
  userId: string;
  cityId: string;
  country: string;
  region: string;
}

export interface ItemRow {
  id: string;
  titleRu: string;
  titleEn: string | null;
  descriptionRu: string;
  descriptionEn: string | null;
  cpvCode: string;
  unitCode: string;
  characteristics: string;
  publishedDaysAgo: number;
}

export interface OfferRow {
  id: string;
  itemIndex: number;
  supplier: SeedSupplier;
  price: string;
  currency: string;
  vatIncluded: boolean;
  minQuantity: string;
  deliveryArea: string[];
  leadTimeDays: number;
  validFromDaysAgo: number;
  validDays: number;
  status: 'active' | 'withdrawn';
}

/** mulberry32: a tiny, fast, well-mixed PRNG; seeded per row so rows do not depend on batch boundaries. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer hash (32-bit) of a namespace and an index. */
export function hash32(namespace: number, index: number): number {
  let h = Math.imul(index ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(namespace + 0x27d4eb2f, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A stable UUID (version 4 layout) for a seed row, so re-running the seed finds the rows it wrote. */
export function seedUuid(kind: number, index: number): string {
  const hex = [hash32(kind, index), hash32(kind + 1, index), hash32(kind + 2, index), hash32(kind + 3, index)]
    .map((n) => n.toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[parseInt(hex[16] ?? '0', 16) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const ITEM_KIND = 101;
export const OFFER_KIND = 201;
export const SUPPLIER_KIND = 301;
export const USER_KIND = 401;

const pick = <T>(list: readonly T[], r: number): T => list[Math.floor(r * list.length) % list.length] as T;

const BRANDS_RU = [
  'Бореал',
  'Волжанка',
  'Уралтех',
  'Сибирь-Про',
  'Алтын',
  'Нева',
  'Кедр',
  'Амур',
  'Ладога',
  'Тундра',
  'Байкал',
  'Сапсан',
  'Полюс',
  'Самоцвет',
  'Ока',
  'Иртыш',
  'Кама',
  'Арго',
  'Светоч',
  'Зодчий',
];
const BRANDS_EN = [
  'Nordline',
  'Astrum',
  'Veltra',
  'Polarix',
  'Kamtek',
  'Stepline',
  'Orionis',
  'Medeor',
  'Altair',
  'Granum',
  'Silvana',
  'Tessera',
  'Lumos',
  'Vertex',
  'Caspia',
  'Ferrum',
  'Aquila',
  'Borealis',
  'Tavria',
  'Zenitra',
];
const GOODS_WORDS_RU = [
  'стандарт',
  'эконом',
  'премиум',
  'профессиональный',
  'универсальный',
  'офисный',
  'школьный',
  'медицинский',
  'промышленный',
  'усиленный',
  'компактный',
  'экологичный',
];
const GOODS_WORDS_EN = [
  'standard',
  'economy',
  'premium',
  'professional',
  'universal',
  'office',
  'school',
  'medical',
  'industrial',
  'reinforced',
  'compact',
  'eco',
];
const SERVICE_WORDS_RU = [
  'для муниципальных учреждений',
  'для школ и детских садов',
  'для больниц и поликлиник',
  'годовой договор',
  'разовый заказ',
  'с выездом на объект',
  'круглосуточно',
  'по городу и области',
];
const SERVICE_WORDS_EN = [
  'for municipal bodies',
  'for schools and kindergartens',
  'for hospitals and clinics',
  'annual contract',
  'one-off order',
  'on site',
  'around the clock',
  'city and region',
];
const SIZES: readonly (readonly [string, string])[] = [
  ['A4', 'A4'],
  ['A3', 'A3'],
  ['500 мл', '500 ml'],
  ['1 л', '1 l'],
  ['5 л', '5 l'],
  ['10 кг', '10 kg'],
  ['25 кг', '25 kg'],
  ['1 шт', '1 pc'],
  ['комплект 10 шт', 'set of 10'],
  ['100 м', '100 m'],
  ['XL', 'XL'],
  ['M', 'M'],
];
const GOODS_UNITS = ['H87', 'H87', 'H87', 'XPK', 'SET', 'KGM', 'LTR', 'MTR', 'XBX'];
const SERVICE_UNITS = ['E48', 'E48', 'HUR', 'MON', 'DAY'];
const WORKS_UNITS = ['LS', 'MTK', 'MTQ', 'MTR'];

/** Typical order of magnitude of a unit price in roubles, by CPV division. */
function basePriceRub(division: number, r: number): number {
  const scale = division >= 45 ? 50_000 : division === 30 || division === 48 ? 5_000 : 800;
  return Math.max(1, scale * Math.exp((r - 0.5) * 4));
}

export const CURRENCY_OF_COUNTRY: Record<string, string> = {
  RU: 'RUB',
  KZ: 'KZT',
  BY: 'BYN',
  KG: 'KGS',
  AM: 'AMD',
  MD: 'MDL',
  TJ: 'TJS',
  UZ: 'UZS',
};

/** Rough units of each currency per rouble, only to make seed prices look local. */
const PER_RUB: Record<string, number> = {
  RUB: 1,
  KZT: 5.5,
  BYN: 0.035,
  KGS: 1,
  AMD: 4.5,
  MDL: 0.2,
  TJS: 0.12,
  UZS: 140,
};

export function makeItem(index: number, cpv: readonly CpvEntry[]): ItemRow {
  const r = prng(hash32(ITEM_KIND, index));
  const code = pick(cpv, r());
  const division = Number(code.code.slice(0, 2));
  const services = division >= 50;
  const works = division === 45;
  const brand = Math.floor(r() * 2) === 0 ? pick(BRANDS_RU, r()) : pick(BRANDS_EN, r());
  const brandEn = pick(BRANDS_EN, r());
  const wordIndex = Math.floor(r() * GOODS_WORDS_RU.length);
  const serviceIndex = Math.floor(r() * SERVICE_WORDS_RU.length);
  const model = `${String.fromCharCode(65 + Math.floor(r() * 26))}${Math.floor(r() * 900 + 100)}`;
  const size = pick(SIZES, r());
  let titleRu: string;
  let titleEn: string;
  if (services || works) {
    titleRu = `${code.nameRu} ${SERVICE_WORDS_RU[serviceIndex]} «${brand}»`;
    titleEn = `${code.nameEn} ${SERVICE_WORDS_EN[serviceIndex]} ${brandEn}`;
  } else {
    titleRu = `${code.nameRu} ${GOODS_WORDS_RU[wordIndex]} «${brand}» ${model}, ${size[0]}`;
    titleEn = `${code.nameEn} ${GOODS_WORDS_EN[wordIndex]} ${brandEn} ${model}, ${size[1]}`;
  }
  const warranty = Math.floor(r() * 4) * 12 + 12;
  const withEnglish = r() < 0.6;
  return {
    id: seedUuid(ITEM_KIND, index),
    titleRu,
    titleEn: withEnglish ? titleEn : null,
    descriptionRu: services
      ? `${code.nameRu}. Исполнитель работает по стандартам «${brand}». Оплата по факту оказания услуг.`
      : `${code.nameRu}. Производитель «${brand}», модель ${model}. Гарантия ${warranty} мес.`,
    descriptionEn: withEnglish ? `${code.nameEn}. Maker ${brandEn}, model ${model}.` : null,
    cpvCode: code.code,
    unitCode: pick(works ? WORKS_UNITS : services ? SERVICE_UNITS : GOODS_UNITS, r()),
    characteristics: JSON.stringify(
      services || works
        ? [{ name: 'Исполнитель', value: brand }]
        : [
            { name: 'Производитель', value: brand },
            { name: 'Модель', value: model },
            { name: 'Гарантия', value: String(warranty), unit: 'MON' },
          ],
    ),
    publishedDaysAgo: Math.floor(r() * 730),
  };
}

/** The item an offer belongs to: hashed, so offers per item follow a Poisson-like spread around M/N. */
export function offerItemIndex(offerIndex: number, items: number): number {
  return hash32(OFFER_KIND + 7, offerIndex) % items;
}

export function makeOffer(
  index: number,
  items: number,
  cpv: readonly CpvEntry[],
  suppliers: readonly SeedSupplier[],
  cities: readonly SeedCity[],
): OfferRow {
  const r = prng(hash32(OFFER_KIND, index));
  const itemIndex = offerItemIndex(index, items);
  const item = prng(hash32(ITEM_KIND, itemIndex));
  const division = Number(pick(cpv, item()).code.slice(0, 2));
  const supplier = pick(suppliers, r());
  const currency = CURRENCY_OF_COUNTRY[supplier.country] ?? 'RUB';
  const base = basePriceRub(division, prng(hash32(ITEM_KIND + 9, itemIndex))());
  const price = (base * (0.8 + r() * 0.45) * (PER_RUB[currency] ?? 1)).toFixed(2);
  const areaRoll = r();
  let deliveryArea: string[];
  if (areaRoll < 0.45) deliveryArea = [`c:${supplier.cityId}`];
  else if (areaRoll < 0.6) deliveryArea = [`r:${supplier.country}:${supplier.region}`];
  else if (areaRoll < 0.85) deliveryArea = [`k:${supplier.country}`];
  else {
    const others = [pick(cities, r()), pick(cities, r())].map((c) => `c:${c.id}`);
    deliveryArea = [...new Set([`c:${supplier.cityId}`, ...others])];
  }
  return {
    id: seedUuid(OFFER_KIND, index),
    itemIndex,
    supplier,
    price: Number(price) > 0 ? price : '1.00',
    currency,
    vatIncluded: r() < 0.8,
    minQuantity: pick(['1', '1', '1', '5', '10', '100'], r()),
    deliveryArea,
    leadTimeDays: 1 + Math.floor(r() * 30),
    validFromDaysAgo: Math.floor(r() * 300),
    validDays: 60 + Math.floor(r() * 540),
    status: r() < 0.95 ? 'active' : 'withdrawn',
  };
}

/**
 * Units of measure: UN/ECE Recommendation 20 common codes (package codes of Recommendation 21 carry the X
 * prefix, as Recommendation 20 lists them), with the Russian ОКЕИ code where one corresponds.
 */
export interface UnitOfMeasure {
  code: string;
  okei: string | null;
  nameRu: string;
  nameEn: string;
  symbolRu: string;
}

export const UNITS_OF_MEASURE: readonly UnitOfMeasure[] = [
  { code: 'H87', okei: '796', nameRu: 'штука', nameEn: 'piece', symbolRu: 'шт' },
  { code: 'SET', okei: '839', nameRu: 'комплект', nameEn: 'set', symbolRu: 'компл' },
  { code: 'PR', okei: '715', nameRu: 'пара', nameEn: 'pair', symbolRu: 'пар' },
  { code: 'XPK', okei: '778', nameRu: 'упаковка', nameEn: 'package', symbolRu: 'упак' },
  { code: 'XBX', okei: null, nameRu: 'коробка', nameEn: 'box', symbolRu: 'кор' },
  { code: 'GRM', okei: '163', nameRu: 'грамм', nameEn: 'gram', symbolRu: 'г' },
  { code: 'KGM', okei: '166', nameRu: 'килограмм', nameEn: 'kilogram', symbolRu: 'кг' },
  { code: 'TNE', okei: '168', nameRu: 'тонна', nameEn: 'tonne', symbolRu: 'т' },
  { code: 'MLT', okei: '111', nameRu: 'миллилитр', nameEn: 'millilitre', symbolRu: 'мл' },
  { code: 'LTR', okei: '112', nameRu: 'литр', nameEn: 'litre', symbolRu: 'л' },
  { code: 'MTQ', okei: '113', nameRu: 'кубический метр', nameEn: 'cubic metre', symbolRu: 'м³' },
  { code: 'MMT', okei: '003', nameRu: 'миллиметр', nameEn: 'millimetre', symbolRu: 'мм' },
  { code: 'CMT', okei: '004', nameRu: 'сантиметр', nameEn: 'centimetre', symbolRu: 'см' },
  { code: 'MTR', okei: '006', nameRu: 'метр', nameEn: 'metre', symbolRu: 'м' },
  { code: 'KMT', okei: '008', nameRu: 'километр', nameEn: 'kilometre', symbolRu: 'км' },
  { code: 'MTK', okei: '055', nameRu: 'квадратный метр', nameEn: 'square metre', symbolRu: 'м²' },
  { code: 'KWH', okei: '245', nameRu: 'киловатт-час', nameEn: 'kilowatt hour', symbolRu: 'кВт·ч' },
  { code: 'HUR', okei: '356', nameRu: 'час', nameEn: 'hour', symbolRu: 'ч' },
  { code: 'DAY', okei: '359', nameRu: 'сутки', nameEn: 'day', symbolRu: 'сут' },
  { code: 'MON', okei: '362', nameRu: 'месяц', nameEn: 'month', symbolRu: 'мес' },
  { code: 'ANN', okei: '366', nameRu: 'год', nameEn: 'year', symbolRu: 'год' },
  { code: 'E48', okei: null, nameRu: 'услуга', nameEn: 'service unit', symbolRu: 'усл' },
  { code: 'LS', okei: null, nameRu: 'единовременная сумма', nameEn: 'lump sum', symbolRu: 'ед' },
];

const BY_CODE = new Map(UNITS_OF_MEASURE.map((unit) => [unit.code, unit]));

export const UNIT_CODES: readonly string[] = UNITS_OF_MEASURE.map((unit) => unit.code);

export function findUnit(code: string): UnitOfMeasure | undefined {
  return BY_CODE.get(code);
}

const BY_OKEI = new Map(UNITS_OF_MEASURE.flatMap((unit) => (unit.okei ? [[unit.okei, unit] as const] : [])));

/** What a request may name a unit by: its Recommendation 20 code or its ОКЕИ code. */
export const UNIT_INPUT_CODES: readonly string[] = [...UNIT_CODES, ...BY_OKEI.keys()];

/**
 * The Recommendation 20 code of a unit named by that code or by its ОКЕИ code (796 is H87, the piece); any
 * other value as it is, for validation to judge. Units are stored by their Recommendation 20 code.
 */
export function recommendation20Code(code: unknown): unknown {
  return typeof code === 'string' ? (BY_OKEI.get(code.trim())?.code ?? code) : code;
}

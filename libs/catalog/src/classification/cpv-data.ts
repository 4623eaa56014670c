/*
 * CPV 2008 names in Russian and English, copied from ProzorroUKR/standards (classifiers/, commit c32ccbf2bc9a),
 * licensed under the Apache License 2.0. One object each: code with check digit -> name. In the Russian file
 * the 45 divisions carry their code instead of a name; loadCpvRows takes the English name there.
 */
import cpvEn from './data/cpv_en.json';
import cpvRu from './data/cpv_ru.json';
import { cpvAncestorBodies, cpvLevel, CPV_SCHEME } from './cpv-code';

export const CPV_NAMES_EN: Readonly<Record<string, string>> = cpvEn;
export const CPV_NAMES_RU: Readonly<Record<string, string>> = cpvRu;

export interface ClassificationRow {
  scheme: string;
  code: string;
  parentCode: string | null;
  level: number;
  nameRu: string;
  nameEn: string;
}

/** Every CPV code with its parent (the nearest published ancestor), level and names. */
export function loadCpvRows(): ClassificationRow[] {
  const codeOfBody = new Map(Object.keys(CPV_NAMES_EN).map((code) => [code.slice(0, 8), code]));
  return Object.entries(CPV_NAMES_EN).map(([code, nameEn]) => {
    const body = code.slice(0, 8);
    const ru = CPV_NAMES_RU[code];
    const parentBody = cpvAncestorBodies(body).find((b) => codeOfBody.has(b));
    return {
      scheme: CPV_SCHEME,
      code,
      parentCode: parentBody ? (codeOfBody.get(parentBody) ?? null) : null,
      level: cpvLevel(body),
      nameRu: ru && ru !== code ? ru : nameEn,
      nameEn,
    };
  });
}

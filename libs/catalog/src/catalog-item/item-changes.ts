import type { FieldChanges } from './catalog-item-version.entity';

/** Structural equality of JSON-like values (what item fields hold). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * The fields a patch actually changes, each with its value before and after. Fields absent from the patch
 * are untouched; a patch that repeats current values changes nothing.
 */
export function diffFields<T extends object>(before: T, patch: Partial<T>): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of Object.keys(patch) as (keyof T & string)[]) {
    const to = patch[key];
    if (to === undefined) continue;
    if (!sameValue(before[key], to)) changes[key] = { from: before[key], to };
  }
  return changes;
}

/**
 * Removes what OCDS publishers must not emit: empty strings, empty objects, empty arrays, null and undefined,
 * recursively (an object left empty by the removal goes too). Numbers (0 included) and booleans stay.
 * Returns undefined when nothing is left.
 */
export function pruneEmpty<T>(value: T): T | undefined {
  return prune(value) as T | undefined;
}

function prune(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const kept = prune(child);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

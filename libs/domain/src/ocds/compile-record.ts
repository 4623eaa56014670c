import type { OcdsLinkedRelease, OcdsRecord, OcdsRelease } from './ocds-release';

/**
 * Arrays replaced whole even though their objects carry ids: the fields marked `wholeListMerge` in the
 * release schema 1.1.5 (additionalIdentifiers, additionalClassifications) and the bids extension
 * (Bid.identifiers). A unit test reads the schemas to keep this list complete.
 */
export const WHOLE_LIST_MERGE_FIELDS: ReadonlySet<string> = new Set([
  'additionalIdentifiers',
  'additionalClassifications',
  'identifiers',
]);

/** Release fields marked `omitWhenMerged`: they describe one release, not the process. */
const OMIT_WHEN_MERGED = new Set(['id', 'date', 'tag']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown): v is JsonObject & { id: string | number } =>
  isObject(v) && (typeof v.id === 'string' || typeof v.id === 'number');

/**
 * The compiled release of OCDS 1.1 merging: releases are applied oldest first (by date; equal dates keep their
 * order); objects merge field by field, recursively; arrays whose items are all objects with an `id` merge
 * item by item on that id (new ids are appended in order) unless the field is whole-list-merged; any other
 * array, and any other value, replaces the earlier one; a null removes the field. `id`, `date` and `tag` are
 * not merged: the compiled release is tagged `compiled`, dated by its newest release and identified as
 * `<ocid>-<that date>`.
 */
export function compileRelease(releases: readonly OcdsRelease[]): OcdsRelease {
  const sorted = sortByDate(releases);
  const newest = sorted.at(-1);
  if (!newest) throw new RangeError('a record needs at least one release');
  const ocids = new Set(sorted.map((r) => r.ocid));
  if (ocids.size !== 1) throw new RangeError(`releases of several processes: ${[...ocids].join(', ')}`);
  const merged: JsonObject = {};
  for (const release of sorted) {
    const fields = Object.entries(release as unknown as JsonObject).filter(([k]) => !OMIT_WHEN_MERGED.has(k));
    mergeObject(merged, Object.fromEntries(fields));
  }
  return {
    ...(merged as unknown as OcdsRelease),
    ocid: newest.ocid,
    id: `${newest.ocid}-${newest.date}`,
    date: newest.date,
    tag: ['compiled'],
  };
}

/**
 * A record of one process: its releases (embedded, or linked when `linkOf` gives each release's URL) oldest
 * first, and the compiled release.
 */
export function compileRecord(
  releases: readonly OcdsRelease[],
  options: { linkOf?: (release: OcdsRelease) => string } = {},
): OcdsRecord {
  const sorted = sortByDate(releases);
  const compiledRelease = compileRelease(sorted);
  const { linkOf } = options;
  return {
    ocid: compiledRelease.ocid,
    releases: linkOf
      ? sorted.map((r): OcdsLinkedRelease => ({ url: linkOf(r), date: r.date, tag: r.tag }))
      : [...sorted],
    compiledRelease,
  };
}

function sortByDate(releases: readonly OcdsRelease[]): OcdsRelease[] {
  return releases
    .map((release, index) => ({ release, index, at: Date.parse(release.date) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map((entry) => entry.release);
}

/** Merges `source` into `target` in place. */
function mergeObject(target: JsonObject, source: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(source)) {
    if (value === null) {
      delete target[key];
    } else if (isObject(value)) {
      const current = target[key];
      target[key] = mergeObject(isObject(current) ? current : {}, value);
    } else if (Array.isArray(value)) {
      target[key] = mergeArray(key, target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

function mergeArray(key: string, current: Json | undefined, incoming: Json[]): Json[] {
  const byId = incoming.length > 0 && incoming.every(hasId) && !WHOLE_LIST_MERGE_FIELDS.has(key);
  if (!byId) return incoming.filter((v) => v !== null).map(copy);
  const result: JsonObject[] = Array.isArray(current) && current.every(hasId) ? current.map((v) => v) : [];
  for (const item of incoming as (JsonObject & { id: string | number })[]) {
    const existing = result.find((r) => r.id === item.id);
    if (existing) mergeObject(existing, item);
    else result.push(mergeObject({}, item));
  }
  return result;
}

/** A deep copy with the nulls of objects removed (the merge's meaning of null). */
function copy(value: Json): Json {
  if (isObject(value)) return mergeObject({}, value);
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(copy);
  return value;
}

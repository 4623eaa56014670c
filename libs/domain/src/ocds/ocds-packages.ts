import { compileRecord } from './compile-record';
import {
  BIDS_EXTENSION_URL,
  OCDS_VERSION,
  type OcdsRecordPackage,
  type OcdsRelease,
  type OcdsReleasePackage,
} from './ocds-release';
import { pruneEmpty } from './prune';

/** Who publishes, under which licence and policy (from configuration). */
export interface OcdsPublication {
  publisherName: string;
  license?: string;
  publicationPolicy?: string;
}

/**
 * publishedDate of an on-demand package: the date of the newest release in it (the last change to its
 * contents), so the same data always yields the same package; `fallback` when there is none.
 */
export function newestDate(releases: readonly OcdsRelease[], fallback: string): string {
  let newest: string | undefined;
  for (const r of releases) if (!newest || Date.parse(r.date) > Date.parse(newest)) newest = r.date;
  return newest ?? fallback;
}

function metadata(publication: OcdsPublication, uri: string, publishedDate: string) {
  return {
    uri,
    version: OCDS_VERSION,
    extensions: [BIDS_EXTENSION_URL],
    publishedDate,
    publisher: { name: publication.publisherName },
    license: publication.license || undefined,
    publicationPolicy: publication.publicationPolicy || undefined,
  };
}

export function buildReleasePackage(
  publication: OcdsPublication,
  input: { uri: string; releases: OcdsRelease[]; next?: string; now: string },
): OcdsReleasePackage {
  const pkg: OcdsReleasePackage = {
    ...metadata(publication, input.uri, newestDate(input.releases, input.now)),
    // An empty page keeps its (empty) list: the one package shape the schema's minItems does not allow.
    releases: input.releases,
    links: input.next ? { next: input.next } : undefined,
  };
  return { ...(pruneEmpty(pkg) as OcdsReleasePackage), releases: input.releases };
}

/** A record package of one process, its releases linked to their release package (`<uri>#<release id>`). */
export function buildRecordPackage(
  publication: OcdsPublication,
  input: { uri: string; releasePackageUri: string; releases: OcdsRelease[] },
): OcdsRecordPackage {
  const record = compileRecord(input.releases, {
    linkOf: (release) => `${input.releasePackageUri}#${release.id}`,
  });
  const pkg: OcdsRecordPackage = {
    ...metadata(publication, input.uri, record.compiledRelease.date),
    packages: [input.releasePackageUri],
    records: [record],
  };
  return pruneEmpty(pkg) as OcdsRecordPackage;
}

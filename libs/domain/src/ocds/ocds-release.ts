/**
 * The part of OCDS 1.1 (release schema 1.1.5 plus the bids extension) that the marketplace publishes.
 * Only fields declared by those schemas appear here: the lots and location extensions are not used, so lots
 * show only through `tender.value` (the sum of the live lots' estimates), awards' and contracts' items and
 * the bids' `relatedLots`; delivery places are not published.
 */

export const OCDS_VERSION = '1.1';

/**
 * The bids extension as the schemas in ../shared/data/ocds-1.1/extensions/bids/ describe it: its master
 * branch, because `Bid.relatedLots` and `Award.relatedBids` are not in any tagged release (v1.1.5 and earlier).
 */
export const BIDS_EXTENSION_URL =
  'https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json';

export interface OcdsValue {
  /** A JSON number: Number() of the exact two-decimal string (see toOcdsNumber). */
  amount: number;
  currency: string;
}

export interface OcdsPeriod {
  startDate?: string;
  endDate?: string;
}

export interface OcdsOrganizationReference {
  id: string;
  name?: string;
}

export interface OcdsIdentifier {
  scheme?: string;
  id?: string;
  legalName?: string;
}

export interface OcdsAddress {
  locality?: string;
  region?: string;
  countryName?: string;
}

export interface OcdsParty {
  id: string;
  name?: string;
  identifier?: OcdsIdentifier;
  address?: OcdsAddress;
  roles: string[];
}

export interface OcdsClassification {
  scheme: string;
  id: string;
  description?: string;
}

export interface OcdsUnit {
  scheme: string;
  id: string;
  name?: string;
}

export interface OcdsItem {
  id: string;
  description?: string;
  classification?: OcdsClassification;
  quantity?: number;
  unit?: OcdsUnit;
}

export interface OcdsDocument {
  id: string;
  title?: string;
  url?: string;
  datePublished?: string;
}

export interface OcdsAmendment {
  id: string;
  date?: string;
  rationale?: string;
  description?: string;
  amendsReleaseID?: string;
  releaseID?: string;
}

export interface OcdsTender {
  id: string;
  title?: string;
  description?: string;
  status?: string;
  procuringEntity?: OcdsOrganizationReference;
  items?: OcdsItem[];
  value?: OcdsValue;
  procurementMethod?: string;
  procurementMethodDetails?: string;
  eligibilityCriteria?: string;
  procurementMethodRationale?: string;
  mainProcurementCategory?: string;
  awardCriteria?: string;
  awardCriteriaDetails?: string;
  submissionMethod?: string[];
  tenderPeriod?: OcdsPeriod;
  enquiryPeriod?: OcdsPeriod;
  hasEnquiries?: boolean;
  numberOfTenderers?: number;
  tenderers?: OcdsOrganizationReference[];
  documents?: OcdsDocument[];
  amendments?: OcdsAmendment[];
}

/** A bid of the bids extension: one per bid and lot, as the extension's guidance on multi-lot bids asks. */
export interface OcdsBid {
  id: string;
  identifiers?: { scheme: string; id: string }[];
  date?: string;
  status?: string;
  tenderers?: OcdsOrganizationReference[];
  value?: OcdsValue;
  relatedLots?: string[];
  hasRank?: boolean;
  rank?: number;
  documents?: OcdsDocument[];
}

export interface OcdsAward {
  id: string;
  title?: string;
  status?: string;
  date?: string;
  value?: OcdsValue;
  suppliers?: OcdsOrganizationReference[];
  items?: OcdsItem[];
  relatedBids?: string[];
}

export interface OcdsContract {
  id: string;
  awardID: string;
  title?: string;
  status?: string;
  value?: OcdsValue;
  items?: OcdsItem[];
  dateSigned?: string;
  relatedBids?: string[];
}

export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: string[];
  initiationType: 'tender';
  parties?: OcdsParty[];
  buyer?: OcdsOrganizationReference;
  tender?: OcdsTender;
  relatedProcesses?: { id: string; relationship: string[]; scheme: string; identifier: string }[];
  bids?: { details?: OcdsBid[] };
  awards?: OcdsAward[];
  contracts?: OcdsContract[];
}

/** A record's entry for a release published elsewhere (the release package of its ocid). */
export interface OcdsLinkedRelease {
  url: string;
  date: string;
  tag: string[];
}

export interface OcdsRecord {
  ocid: string;
  releases: OcdsLinkedRelease[] | OcdsRelease[];
  compiledRelease: OcdsRelease;
}

export interface OcdsPublisher {
  name: string;
}

interface OcdsPackageBase {
  uri: string;
  version: string;
  extensions: string[];
  publishedDate: string;
  publisher: OcdsPublisher;
  license?: string;
  publicationPolicy?: string;
}

export interface OcdsReleasePackage extends OcdsPackageBase {
  releases: OcdsRelease[];
  /** Paging as OCDS 1.1 publication guidance (and 1.2) spell it; absent on the last page. */
  links?: { next: string };
}

export interface OcdsRecordPackage extends OcdsPackageBase {
  packages?: string[];
  records: OcdsRecord[];
}

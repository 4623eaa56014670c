import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UNITS_OF_MEASURE } from '@app/catalog/catalog-item/units';
import { AppConfig } from '../config/app-config';
import { InvalidCursorError } from '../errors';
import { decodeCursor, encodeCursor } from '../pagination/cursor';
import { OcidNotFoundError } from './ocds.errors';
import { buildRecordPackage, buildReleasePackage, type OcdsPublication } from './ocds-packages';
import type { OcdsRecordPackage, OcdsRelease, OcdsReleasePackage } from './ocds-release';
import { type OcdsEvent, RELEASE_EVENT_TYPES } from './process-state';
import { type BuiltRelease, buildReleases, type OcdsOrganization } from './release-builder';
import { isoUtc } from '../database/sql-time';

const UNIT_NAMES = new Map(UNITS_OF_MEASURE.map((unit) => [unit.code, unit.nameEn]));

export const MAX_OCDS_PAGE_SIZE = 100;
export const DEFAULT_OCDS_PAGE_SIZE = 50;

/** The releases of one process, oldest first. */
export interface ProcessReleases {
  tenderId: string;
  ocid: string;
  releases: BuiltRelease[];
}

interface HistoryRow {
  tenderId: string;
  ocid: string;
  events: OcdsEvent[];
  documents: { id: string; title: string; url: string; publishedAt: string }[];
  bidDates: Record<string, string>;
}

/**
 * Everything a batch of processes' releases need, in one statement: their release events (in id order),
 * documents and opened bids' submission instants. Sealed bid events are never selected, and only opened bids
 * are read, so nothing sealed can reach a release.
 */
const HISTORY_SQL = `
SELECT t.id AS "tenderId", t.ocid,
  (SELECT coalesce(json_agg(json_build_object('id', e.id::text, 'txid', e.txid::text, 'type', e.type,
          'occurredAt', ${isoUtc('e.occurred_at')}, 'payload', e.payload) ORDER BY e.id), '[]')
     FROM deal_events e
    WHERE e.tender_id = t.id AND e.type = ANY($2::text[])
      AND ($3::timestamptz IS NULL OR NOT EXISTS (SELECT 1 FROM deal_events x
                                                   WHERE x.txid = e.txid AND x.occurred_at >= $3::timestamptz))) AS events,
  (SELECT coalesce(json_agg(json_build_object('id', d.id, 'title', d.title, 'url', d.url,
          'publishedAt', ${isoUtc('d.created_at')}) ORDER BY d.created_at, d.id), '[]')
     FROM tender_documents d WHERE d.tender_id = t.id) AS documents,
  (SELECT coalesce(json_object_agg(b.id, ${isoUtc('b.submitted_at')}), '{}')
     FROM bids b WHERE b.tender_id = t.id AND b.status IN ('opened', 'dropped')) AS "bidDates"
FROM tenders t
WHERE t.id = ANY($1::uuid[]) AND t.ocid IS NOT NULL AND t.status <> 'draft'`;

/**
 * The organisations (buyers, organisers, opened bids' suppliers, direct purchases' suppliers) and CPV names of a
 * batch of processes.
 */
const REFERENCES_SQL = `
SELECT
  (SELECT coalesce(json_agg(json_build_object('id', o.id, 'legalName', o.legal_name, 'taxScheme', o.tax_scheme,
          'taxId', o.tax_id, 'locality', c.name_en, 'region', c.region, 'country', o.country)), '[]')
     FROM organizations o LEFT JOIN cities c ON c.id = o.city_id
    WHERE o.id IN (SELECT tb.buyer_id FROM tender_buyers tb WHERE tb.tender_id = ANY($1::uuid[])
                   UNION SELECT t.organizer_id FROM tenders t WHERE t.id = ANY($1::uuid[])
                   UNION SELECT b.supplier_id FROM bids b
                          WHERE b.tender_id = ANY($1::uuid[]) AND b.status IN ('opened', 'dropped')
                   -- A direct purchase's supplier has no bid.
                   UNION SELECT a.supplier_id FROM awards a
                          WHERE a.tender_id = ANY($1::uuid[]) AND a.bid_id IS NULL)) AS organizations,
  (SELECT coalesce(json_object_agg(cl.code, cl.name_en), '{}') FROM classifications cl
    WHERE cl.scheme = 'CPV'
      AND cl.code IN (SELECT i.cpv_code FROM tender_items i WHERE i.tender_id = ANY($1::uuid[]))) AS cpv`;

/**
 * OCDS 1.1 open data built from the deal events: one release per transaction that changed something public
 * (see buildReleases), release packages and record packages. Two statements per batch of processes, whatever
 * their size.
 */
@Injectable()
export class OcdsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  get publication(): OcdsPublication {
    return {
      publisherName: this.config.OCDS_PUBLISHER_NAME,
      license: this.config.OCDS_LICENSE,
      publicationPolicy: this.config.OCDS_PUBLICATION_POLICY,
    };
  }

  /** Recent releases of every process, newest first, as a release package with `links.next`. */
  async recentReleasesPackage(limit = DEFAULT_OCDS_PAGE_SIZE, cursor?: string): Promise<OcdsReleasePackage> {
    const page = await this.recentReleases(limit, cursor);
    const uri = this.url('releases', { limit, cursor });
    return buildReleasePackage(this.publication, {
      uri,
      releases: page.releases,
      next: page.nextCursor ? this.url('releases', { limit, cursor: page.nextCursor }) : undefined,
      now: new Date().toISOString(),
    });
  }

  /** Every release of one process, oldest first. */
  async processReleasePackage(ocid: string): Promise<OcdsReleasePackage> {
    const { releases } = await this.process(ocid);
    return buildReleasePackage(this.publication, {
      uri: this.url(`releases/${ocid}`),
      releases: releases.map((r) => r.release),
      now: new Date().toISOString(),
    });
  }

  /** The record of one process: its releases linked to the process's release package, and the compiled release. */
  async recordPackage(ocid: string): Promise<OcdsRecordPackage> {
    const { releases } = await this.process(ocid);
    return buildRecordPackage(this.publication, {
      uri: this.url(`records/${ocid}`),
      releasePackageUri: this.url(`releases/${ocid}`),
      releases: releases.map((r) => r.release),
    });
  }

  /**
   * A page of releases, newest first. A release is identified by the first release event of its transaction
   * (its anchor). Releases are served in transaction order, and only those of transactions older than every
   * one still running (deal_log_watermark(), as the changes feed): a transaction that commits late cannot
   * appear below releases already served, where a reader polling down to the newest release it knows would
   * never see it. The cursor is the last anchor served, (txid, id).
   */
  async recentReleases(
    limit: number,
    cursor?: string,
  ): Promise<{ releases: OcdsRelease[]; nextCursor: string | null }> {
    const [txid, id] = cursor ? await this.anchorOf(cursor) : [null, null];
    const anchors = await this.dataSource.query<{ id: string; txid: string; tenderId: string }[]>(
      `SELECT e.id::text AS id, e.txid::text AS txid, e.tender_id AS "tenderId" FROM deal_events e
        WHERE e.txid < (SELECT deal_log_watermark()) AND e.type = ANY($1::text[]) AND e.tender_id IS NOT NULL
          AND ($2::bigint IS NULL OR (e.txid, e.id) < ($2::bigint, $3::bigint))
          AND NOT EXISTS (SELECT 1 FROM deal_events p WHERE p.txid = e.txid AND p.tender_id = e.tender_id
                             AND p.type = ANY($1::text[]) AND p.id < e.id)
        ORDER BY e.txid DESC, e.id DESC LIMIT $4`,
      [RELEASE_EVENT_TYPES, txid === null ? null : String(txid), id === null ? null : String(id), limit + 1],
    );
    const page = anchors.slice(0, limit);
    const processes = await this.releasesOf([...new Set(page.map((a) => a.tenderId))]);
    const byAnchor = new Map(processes.flatMap((p) => p.releases.map((r) => [r.anchorEventId, r.release])));
    const last = page.at(-1);
    return {
      releases: page.flatMap((a) => byAnchor.get(a.id) ?? []),
      nextCursor: anchors.length > limit && last ? encodeCursor([last.txid, last.id]) : null,
    };
  }

  /**
   * The anchor a cursor names, (txid, id). A cursor of the pages served in event id order names the event alone:
   * it resumes at that event's transaction, so a reader paging across the change goes on where it was.
   */
  private async anchorOf(cursor: string): Promise<[string, string]> {
    try {
      const [txid, id] = decodeCursor(cursor, ['digits', 'digits']);
      return [String(txid), String(id)];
    } catch {
      const [id] = decodeCursor(cursor, ['digits']);
      const [event] = await this.dataSource.query<{ txid: string }[]>(
        `SELECT txid::text AS txid FROM deal_events WHERE id = $1::bigint`,
        [String(id)],
      );
      if (!event)
        throw new InvalidCursorError('The cursor is not one this list produced', { field: 'cursor' });
      return [event.txid, String(id)];
    }
  }

  /** The releases of a published process, oldest first; OCID_NOT_FOUND for an unknown ocid or a draft. */
  async process(ocid: string): Promise<ProcessReleases> {
    const [tender] = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM tenders WHERE ocid = $1 AND status <> 'draft'`,
      [ocid],
    );
    const [process] = tender ? await this.releasesOf([tender.id]) : [];
    if (!process || process.releases.length === 0) {
      throw new OcidNotFoundError('No published contracting process with this ocid', { ocid });
    }
    return process;
  }

  /**
   * The releases of many processes (in the order of `tenderIds`), from two statements. With `before`, only
   * transactions whose every event occurred earlier count: the processes as they were published at that
   * instant (a Date, or an ISO instant to the microsecond as PostgreSQL keeps it). A transaction running across
   * it is left whole to the next cut, so that one release id never names two contents (each event's time is its
   * own clock reading).
   */
  async releasesOf(
    tenderIds: string[],
    options: { before?: Date | string } = {},
  ): Promise<ProcessReleases[]> {
    if (tenderIds.length === 0) return [];
    const [histories, [refs]] = await Promise.all([
      this.dataSource.query<HistoryRow[]>(HISTORY_SQL, [
        tenderIds,
        RELEASE_EVENT_TYPES,
        options.before ?? null,
      ]),
      this.dataSource.query<{ organizations: OcdsOrganization[]; cpv: Record<string, string> }[]>(
        REFERENCES_SQL,
        [tenderIds],
      ),
    ]);
    const organizations = new Map((refs?.organizations ?? []).map((o) => [o.id, o]));
    const cpvNames = new Map(Object.entries(refs?.cpv ?? {}));
    const byTender = new Map(histories.map((h) => [h.tenderId, h]));
    return tenderIds.flatMap((tenderId) => {
      const history = byTender.get(tenderId);
      if (!history) return [];
      const releases = buildReleases({
        ocid: history.ocid,
        events: history.events,
        refs: {
          organizations,
          cpvNames,
          unitNames: UNIT_NAMES,
          documents: history.documents,
          bidDates: new Map(Object.entries(history.bidDates)),
        },
      });
      return [{ tenderId, ocid: history.ocid, releases }];
    });
  }

  /** Public URL of an OCDS resource (OCDS_PUBLIC_URL is where the OCDS endpoints are served). */
  private url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(`${this.config.OCDS_PUBLIC_URL.replace(/\/+$/, '')}/${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

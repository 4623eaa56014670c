import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LogEntryView, LogService, SignedTreeHeadView } from '../deal-log/log.service';
import type { QuestionView } from '../tender/tender-clarifications.service';
import { PublicBidsView, TenderQueriesService } from '../tender/tender-queries.service';
import type { TenderView } from '../tender/tender-views';
import { inclusionProofs, latestTreeHead } from './log-proofs';
import { findPublishedTender } from './published-tender';
import { isoUtc } from '../database/sql-time';
import { everyPage } from '../pagination/cursor';

export interface DossierAmendment {
  number: number;
  rationale: string;
  changes: Record<string, unknown>;
  termsChanged: boolean;
  createdAt: string;
}

/** One lot's opened bids in rank order, with the evaluated prices the ranking used. */
export interface DossierLotRanking {
  lotId: string;
  bids: {
    rank: number;
    bidId: string;
    supplierId: string;
    supplierName: string;
    price: string;
    evaluatedPrice: string | null;
    preferenceApplied: boolean | null;
  }[];
}

export interface DossierLogEntry extends LogEntryView {
  /** RFC 9162 inclusion proof of this entry against `log.treeHead`, hex. */
  auditPath: string[];
}

/** Every bid of the deal (no pages): sealed and empty until the bids are opened. */
export type DossierBids = Omit<PublicBidsView, 'nextCursor'>;

/** Everything public about one deal, with its log entries provable against a signed tree head. */
export interface AuditDossier {
  generatedAt: string;
  tender: TenderView;
  amendments: DossierAmendment[];
  /** Questions and answers; the asker is never named. */
  questions: QuestionView[];
  /** Sealed (and empty) until the bids are opened. */
  bids: DossierBids;
  ranking: DossierLotRanking[];
  awards: Record<string, unknown>[];
  contracts: Record<string, unknown>[];
  log: {
    /** The latest signed tree head; entries and proofs are given for its size. Null while none is signed. */
    treeHead: SignedTreeHeadView | null;
    entries: DossierLogEntry[];
    /** Events of this deal committed but not yet in that tree head (the sequencer runs behind by a moment). */
    unsequencedEvents: number;
  };
}

/** The per-lot ranking of opened bids, best first. */
export function rankingOf(bids: DossierBids): DossierLotRanking[] {
  const byLot = new Map<string, DossierLotRanking['bids']>();
  for (const bid of bids.items) {
    for (const lot of bid.lots) {
      if (lot.rank === null) continue;
      const ranked = byLot.get(lot.lotId) ?? [];
      ranked.push({
        rank: lot.rank,
        bidId: bid.bidId,
        supplierId: bid.supplierId,
        supplierName: bid.supplierName,
        price: lot.price,
        evaluatedPrice: lot.evaluatedPrice,
        preferenceApplied: lot.preferenceApplied,
      });
      byLot.set(lot.lotId, ranked);
    }
  }
  return [...byLot].map(([lotId, ranked]) => ({ lotId, bids: ranked.sort((a, b) => a.rank - b.rank) }));
}

/** Log entries of a dossier read (and proved) at a time. */
export const DOSSIER_LOG_PAGE = 500;

/** A deal's dossier as one JSON document (the CSV form is AuditDossierCsvService). */
@Injectable()
export class AuditDossierService {
  /** DOSSIER_LOG_PAGE; a test makes it small to see a dossier's log come in several pages. */
  logPageSize = DOSSIER_LOG_PAGE;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: TenderQueriesService,
    private readonly log: LogService,
  ) {}

  /**
   * The dossier as JSON text in chunks: every part but the log first (a deal's own rows), then its log entries a
   * page at a time with their inclusion proofs, so a deal with a long log is never held whole in memory. Its
   * shape is AuditDossier. Whatever can refuse the request (a draft, an unknown tender) is checked before the
   * first chunk.
   */
  async dossierJson(tenderId: string): Promise<{ number: string; chunks: AsyncIterable<string> }> {
    await findPublishedTender(this.dataSource, tenderId);
    const generatedAt = new Date().toISOString();
    // One after another: a dossier is rare and large, and must not take a connection per part from the pool.
    const tender = await this.queries.get(tenderId);
    const amendments = await this.amendments(tenderId);
    const questions = await this.questions(tenderId);
    const { sealed } = await this.queries.bids(tenderId, 1);
    const bids = {
      sealed,
      items: await everyPage((limit, cursor) => this.queries.bids(tenderId, limit, cursor)),
    };
    const awards = await everyPage((limit, cursor) => this.queries.awards(tenderId, limit, cursor));
    const contracts = await everyPage((limit, cursor) => this.queries.contracts(tenderId, limit, cursor));
    const treeHead = await latestTreeHead(this.log);
    const size = treeHead?.treeSize ?? 0;
    const [pending] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM deal_events e
        WHERE e.tender_id = $1
          AND NOT EXISTS (SELECT 1 FROM log_entries l WHERE l.event_id = e.id AND l.idx < $2)`,
      [tenderId, size],
    );
    const parts = {
      generatedAt,
      tender,
      amendments,
      questions,
      bids,
      ranking: rankingOf(bids),
      awards,
      contracts,
    };
    const head = JSON.stringify(parts).slice(0, -1);
    const tail = `],"unsequencedEvents":${pending?.n ?? 0}}}`;
    const pages = (after: number) => this.logPage(tenderId, size, after);
    async function* chunks(): AsyncGenerator<string> {
      yield `${head},"log":{"treeHead":${JSON.stringify(treeHead)},"entries":[`;
      let after = -1;
      let first = true;
      for (;;) {
        const entries = await pages(after);
        if (entries.length === 0) break;
        const text = entries.map((e) => JSON.stringify(e)).join(',');
        yield first ? text : `,${text}`;
        first = false;
        after = entries[entries.length - 1]!.index;
      }
      yield tail;
    }
    return { number: tender.number ?? tenderId, chunks: chunks() };
  }

  /** The tender's log entries after index `after` (below the tree head's size), a page, with their proofs. */
  private async logPage(tenderId: string, size: number, after: number): Promise<DossierLogEntry[]> {
    const rows = await this.dataSource.query<{ idx: string; entry: string; leaf_hash: Buffer }[]>(
      // Qualified: a bare `idx` in ORDER BY would name the text output column and sort 10 before 2.
      `SELECT l.idx::text, l.entry, l.leaf_hash FROM log_entries l
        WHERE l.tender_id = $1 AND l.idx < $2 AND l.idx > $3 ORDER BY l.idx LIMIT ${this.logPageSize}`,
      [tenderId, size, after],
    );
    const indexes = rows.map((r) => Number(r.idx));
    const proofs = await inclusionProofs(this.dataSource, indexes, size);
    return rows.map((r) => ({
      index: Number(r.idx),
      entry: JSON.parse(r.entry) as Record<string, unknown>,
      leafHash: r.leaf_hash.toString('hex'),
      auditPath: proofs.get(Number(r.idx)) ?? [],
    }));
  }

  private amendments(tenderId: string): Promise<DossierAmendment[]> {
    return this.dataSource.query<DossierAmendment[]>(
      `SELECT number, rationale, changes, terms_changed AS "termsChanged", ${isoUtc('created_at')} AS "createdAt"
         FROM tender_amendments WHERE tender_id = $1 ORDER BY number`,
      [tenderId],
    );
  }

  /** Every question with its answer; asker_id is never selected. */
  private questions(tenderId: string): Promise<QuestionView[]> {
    return this.dataSource.query<QuestionView[]>(
      `SELECT id, lot_id AS "lotId", text, answer, ${isoUtc('asked_at')} AS "askedAt", ${isoUtc('answered_at')} AS "answeredAt"
         FROM tender_questions WHERE tender_id = $1 ORDER BY asked_at, id`,
      [tenderId],
    );
  }
}

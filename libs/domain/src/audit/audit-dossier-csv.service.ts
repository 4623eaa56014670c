import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LogService, SignedTreeHeadView } from '../deal-log/log.service';
import { csvRecord } from './csv';
import { summarizeEvent } from './event-summary';
import { latestTreeHead } from './log-proofs';
import { findPublishedTender } from './published-tender';

export const DOSSIER_CSV_COLUMNS = [
  'index',
  'leafHash',
  'eventType',
  'occurredAt',
  'actorOrganizationId',
  'actorOrganization',
  'summary',
] as const;

const CHUNK_ROWS = 1000;

export interface DossierCsv {
  filename: string;
  /** The tree head the rows were cut at (every row's index is below its size); null while none is signed. */
  treeHead: SignedTreeHeadView | null;
  /** RFC 4180 text: the header, then one record per log entry of the deal, a chunk at a time. */
  chunks: AsyncIterable<string>;
}

interface EntryRow {
  idx: string;
  leaf_hash: string;
  entry: string;
  actor_id: string | null;
  actor_name: string | null;
}

/** A file name made only of safe characters, from the tender's human number. */
export function dossierFilename(number: string, extension: 'json' | 'csv'): string {
  return `dossier-${number.replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;
}

/** A deal's dossier as a flat table, one log entry per row, read in keyset chunks as the response drains. */
@Injectable()
export class AuditDossierCsvService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogService,
  ) {}

  /** Checks the tender before anything is streamed, so a bad id is still a plain 404. */
  async dossierCsv(tenderId: string): Promise<DossierCsv> {
    const tender = await findPublishedTender(this.dataSource, tenderId);
    const treeHead = await latestTreeHead(this.log);
    return {
      filename: dossierFilename(tender.number, 'csv'),
      treeHead,
      chunks: this.rows(tenderId, treeHead?.treeSize ?? 0),
    };
  }

  private async *rows(tenderId: string, treeSize: number): AsyncGenerator<string> {
    yield csvRecord(DOSSIER_CSV_COLUMNS);
    let after = -1;
    for (;;) {
      const rows = await this.dataSource.query<EntryRow[]>(
        `SELECT l.idx::text, encode(l.leaf_hash, 'hex') AS leaf_hash, l.entry, o.id AS actor_id, o.legal_name AS actor_name
           FROM log_entries l
           LEFT JOIN organizations o ON o.id = (l.entry::jsonb ->> 'actorId')::uuid
          WHERE l.tender_id = $1 AND l.idx > $2 AND l.idx < $3
          ORDER BY l.idx LIMIT $4`,
        [tenderId, after, treeSize, CHUNK_ROWS],
      );
      if (rows.length === 0) return;
      yield rows.map(toRecord).join('');
      after = Number(rows[rows.length - 1]!.idx);
      if (rows.length < CHUNK_ROWS) return;
    }
  }
}

function toRecord(row: EntryRow): string {
  const entry = JSON.parse(row.entry) as {
    type: string;
    occurredAt: string;
    payload: Record<string, unknown>;
  };
  return csvRecord([
    row.idx,
    row.leaf_hash,
    entry.type,
    entry.occurredAt,
    row.actor_id,
    row.actor_name,
    summarizeEvent(entry.type, entry.payload),
  ]);
}

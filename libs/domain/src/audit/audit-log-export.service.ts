import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LogService, SignedTreeHeadView } from '../deal-log/log.service';
import { latestTreeHead } from './log-proofs';

/** Rows read per query: large enough to stream fast, small enough to hold one chunk in memory at a time. */
export const LOG_EXPORT_CHUNK = 5000;

export interface LogExport {
  /** The signed tree head the export stops at: exactly its entries, so the stream can be checked against it. */
  treeHead: SignedTreeHeadView | null;
  /** JSON lines `{ index, leafHash, entry }` (as /api/v1/log/entries gives them), a chunk of lines at a time. */
  lines: AsyncIterable<string>;
}

/** The whole transparency log as JSON lines, read by keyset over the index; never all of it in memory. */
@Injectable()
export class AuditLogExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly log: LogService,
  ) {}

  async export(chunkRows = LOG_EXPORT_CHUNK): Promise<LogExport> {
    const treeHead = await latestTreeHead(this.log);
    return { treeHead, lines: this.lines(treeHead?.treeSize ?? 0, chunkRows) };
  }

  /**
   * Each query is short and holds no connection between chunks, so a slow reader (the response applying
   * backpressure) never pins a connection of the pool. Entries below a signed size never change.
   */
  private async *lines(treeSize: number, chunkRows: number): AsyncGenerator<string> {
    for (let start = 0; start < treeSize; start += chunkRows) {
      const rows = await this.dataSource.query<{ idx: string; leaf_hash: string; entry: string }[]>(
        // Qualified: a bare `idx` in ORDER BY would name the text output column and sort 10 before 2.
        `SELECT l.idx::text, encode(l.leaf_hash, 'hex') AS leaf_hash, l.entry FROM log_entries l
          WHERE l.idx >= $1 AND l.idx < $2 ORDER BY l.idx`,
        [start, Math.min(start + chunkRows, treeSize)],
      );
      // `entry` is the stored canonical JSON text: written as is, so the line carries the exact leaf bytes.
      yield rows.map((r) => `{"index":${r.idx},"leafHash":"${r.leaf_hash}","entry":${r.entry}}\n`).join('');
    }
  }
}

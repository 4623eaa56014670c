import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { OcdsExportDayError } from './ocds.errors';
import { OcdsService } from './ocds.service';

/** Processes read per batch: memory holds one batch's releases, never the whole export. */
const BATCH = 200;

export interface OcdsExportResult {
  file: string;
  processes: number;
  releases: number;
}

/**
 * The daily bulk file: every release published up to the end of a UTC day, one JSON release per line
 * (`releases-YYYY-MM-DD.jsonl` in OCDS_EXPORT_DIR), grouped by process and oldest first within each.
 * The file is streamed to a temporary name and renamed at the end, so readers never see half a file and
 * running the export twice rewrites it whole.
 */
@Injectable()
export class OcdsExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ocds: OcdsService,
    private readonly config: AppConfig,
  ) {}

  async exportDay(day: string): Promise<OcdsExportResult> {
    const end = dayEnd(day);
    const dir = resolve(this.config.OCDS_EXPORT_DIR);
    await mkdir(dir, { recursive: true });
    const file = join(dir, `releases-${day}.jsonl`);
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    const counts = { processes: 0, releases: 0 };
    try {
      await pipeline(Readable.from(this.lines(end, counts)), createWriteStream(temporary, { flags: 'wx' }));
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { file, ...counts };
  }

  /** Release lines, batch after batch of processes in id order (keyset paging, no offset). */
  private async *lines(end: Date, counts: { processes: number; releases: number }): AsyncGenerator<string> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await this.dataSource.query<{ id: string }[]>(
        `SELECT id FROM tenders WHERE ocid IS NOT NULL AND status <> 'draft' AND published_at < $1 AND id > $2
          ORDER BY id LIMIT $3`,
        [end, after, BATCH],
      );
      const last = batch.at(-1);
      if (!last) return;
      after = last.id;
      for (const process of await this.ocds.releasesOf(
        batch.map((t) => t.id),
        { before: end },
      )) {
        if (process.releases.length > 0) counts.processes += 1;
        for (const { release } of process.releases) {
          counts.releases += 1;
          yield `${JSON.stringify(release)}\n`;
        }
      }
    }
  }
}

/** The instant a UTC day ends; refuses anything but a real YYYY-MM-DD date. */
export function dayEnd(day: string): Date {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00.000Z`) : new Date(NaN);
  if (Number.isNaN(start.getTime()) || start.toISOString().slice(0, 10) !== day) {
    throw new OcdsExportDayError('day must be a date as YYYY-MM-DD', { day });
  }
  return new Date(start.getTime() + 86_400_000);
}

/** The UTC day before the given instant: what a run shortly after midnight exports. */
export function previousUtcDay(at: Date): string {
  return new Date(at.getTime() - 86_400_000).toISOString().slice(0, 10);
}

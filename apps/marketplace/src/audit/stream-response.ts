import { Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const logger = new Logger('AuditStream');

/**
 * Writes text chunks to the response as the client reads them: pipeline() waits on 'drain', so at most one
 * chunk beyond the socket's buffer is held, and a client that goes away stops the reading (the generator ends).
 * A failure mid-stream cuts the response: the client sees a truncated body, never a silently short one.
 */
export async function streamText(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks, { objectMode: false }), res);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    const correlationId = (res.req as { id?: unknown } | undefined)?.id;
    logger.error({ err: error, correlationId }, 'streaming an export failed');
  }
}

/** An attachment header with a file name made of safe characters only. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`;
}

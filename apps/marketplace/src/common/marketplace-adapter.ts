import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

/** Search queries of 5,000 Cyrillic letters encode to about 60 KB of request line; Node's default is 16 KB. */
export const MAX_HEADER_BYTES = 64 * 1024;

/** Answers a request itself and returns true, or returns false and leaves it untouched for Express. */
export type Lane = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Express, on an HTTP server that accepts long request lines, so such a query gets a 400 with a code, not a bare
 * 431; and lanes, which may answer a hot request before Express (see InclusionProofLane).
 */
export class MarketplaceAdapter extends ExpressAdapter {
  private readonly lanes: Lane[] = [];

  addLane(lane: Lane): void {
    this.lanes.push(lane);
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions) return super.initHttpServer(options);
    const app = this.getInstance<(req: IncomingMessage, res: ServerResponse) => void>();
    this.httpServer = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
      for (const lane of this.lanes) if (lane(req, res)) return;
      app(req, res);
    });
  }
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

/** Search queries of 5,000 Cyrillic letters encode to about 60 KB of request line; Node's default is 16 KB. */
export const MAX_HEADER_BYTES = 64 * 1024;

/** Answers a request itself and returns true, or returns false and leaves it untouched for Express. */
export type Lane = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Express, on an HTTP server that accepts long request lines, so such a query gets a 400 with a code, not a bare
 * 431; lanes, which may answer a hot request before Express (see InclusionProofLane); and Buffers sent as bytes.
 */
export class MarketplaceAdapter extends ExpressAdapter {
  private readonly lanes: Lane[] = [];

  addLane(lane: Lane): void {
    this.lanes.push(lane);
  }

  /**
   * A Buffer a handler returns is the body's bytes, sent as they are under the Content-Type the handler set
   * (Nest would serialise it as JSON, { type: 'Buffer', data: [...] }).
   */
  override reply(response: unknown, body: unknown, statusCode?: number): unknown {
    if (Buffer.isBuffer(body)) {
      const res = response as { status(code: number): void; send(body: Buffer): unknown };
      if (statusCode) res.status(statusCode);
      return res.send(body);
    }
    return super.reply(response, body, statusCode);
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

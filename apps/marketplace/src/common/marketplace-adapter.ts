import { createServer } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';

/** Search queries of 5,000 Cyrillic letters encode to about 60 KB of request line; Node's default is 16 KB. */
export const MAX_HEADER_BYTES = 64 * 1024;

/** Express, on an HTTP server that accepts long request lines, so such a query gets a 400 with a code, not a bare 431. */
export class MarketplaceAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions) return super.initHttpServer(options);
    this.httpServer = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, this.getInstance());
  }
}

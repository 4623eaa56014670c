import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type pino from 'pino';
import { correlationIdFor, LogService, type RequestLine } from '@app/domain';
import { MetricsService } from '../metrics/metrics.service';

const PATH = '/api/v1/log/proof/inclusion';
const COUNT = /^(0|[1-9][0-9]{0,15})$/;

/**
 * GET /api/v1/log/proof/inclusion?index=I&treeSize=N answered before Express and Nest when the proof is at hand
 * (LogService keeps the tree in memory). A proof is public, immutable and computed in microseconds; going
 * through the router, the guards, the pipes and the request logger cost twenty times that, and under load the
 * queueing behind it was most of a proof's latency. The answer is the one the controller gives, with the same
 * correlation id header, metric and request log line (requestLogging's fields). Anything
 * else (another query, a size not yet in memory, a request to refuse with an explanation) goes the usual way,
 * through the controller.
 */
export class InclusionProofLane {
  constructor(
    private readonly log: LogService,
    private readonly metrics: MetricsService,
    private readonly logger: pino.Logger,
  ) {}

  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || !url.startsWith(PATH) || url[PATH.length] !== '?')
      return false;
    const started = performance.now();
    let body: string;
    try {
      const query = parseQuery(url.slice(PATH.length + 1));
      const proof = query && this.log.inclusionProofAtHand(query.index, query.treeSize);
      if (!proof) return false;
      body = JSON.stringify(proof);
    } catch {
      // Nothing is written yet: the controller answers, through the exception filter if it must.
      return false;
    }
    const id = correlationIdFor(req);
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Request-Id': id,
    });
    res.end(body);
    const ms = performance.now() - started;
    this.metrics.observe('GET', PATH, 200, ms / 1000);
    if (this.logger.isLevelEnabled('info')) {
      const line: RequestLine = {
        correlationId: id,
        req: { id, method: 'GET', url },
        res: { statusCode: 200 },
        responseTime: Math.round(ms),
      };
      this.logger.info(line, 'request completed');
    }
    return true;
  };
}

/** `index` and `treeSize`, each once, as plain decimal numbers; anything else is for the controller to judge. */
function parseQuery(query: string): { index: number; treeSize: number } | undefined {
  const parts = query.split('&');
  if (parts.length !== 2) return undefined;
  const values: Record<string, number> = {};
  for (const part of parts) {
    const eq = part.indexOf('=');
    const [name, value] = [part.slice(0, eq), part.slice(eq + 1)];
    if ((name !== 'index' && name !== 'treeSize') || name in values || !COUNT.test(value)) return undefined;
    values[name] = Number(value);
  }
  const { index, treeSize } = values;
  if (index === undefined || treeSize === undefined) return undefined;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize)) return undefined;
  return { index, treeSize };
}

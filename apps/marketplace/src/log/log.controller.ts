import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { LogService } from '@app/domain';
import { ApiErrors } from '../common/api-errors.decorator';
import { Public } from '../common/auth.decorators';
import { PageQueryDto } from '../common/pagination.dto';
import { QueryWholeNumber, uuidParam } from '../common/validation';

const INDEX = { minimum: 0, maximum: Number.MAX_SAFE_INTEGER };

class EntriesQuery {
  @ApiProperty(INDEX) @QueryWholeNumber() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) start: number;
  @ApiProperty({ ...INDEX, description: 'exclusive; at most start + 1000' })
  @QueryWholeNumber()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  end: number;
}

class InclusionQuery {
  @ApiProperty(INDEX) @QueryWholeNumber() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) index: number;
  @ApiProperty(INDEX) @QueryWholeNumber() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) treeSize: number;
}

class ConsistencyQuery {
  @ApiProperty(INDEX) @QueryWholeNumber() @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) first: number;
  @ApiProperty(INDEX) @QueryWholeNumber() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) second: number;
}

class TreeHeadDto {
  @ApiProperty() treeSize: number;
  @ApiProperty({ description: 'hex SHA-256' }) rootHash: string;
  @ApiProperty({ description: 'ISO 8601, as signed' }) timestamp: string;
  @ApiProperty({ description: 'Ed25519 over the JCS of { rootHash, timestamp, treeSize }, base64' })
  signature: string;
}

/** The public transparency log (format: docs/transparency.md). */
@ApiTags('log')
@Controller()
export class LogController {
  constructor(private readonly log: LogService) {}

  @Get('log/sth')
  @Public()
  @ApiOkResponse({ type: TreeHeadDto })
  @ApiErrors(404)
  sth() {
    return this.log.treeHead();
  }

  @Get('log/public-key')
  @Public()
  @ApiOkResponse({
    description: '{ algorithm: "Ed25519", publicKey (raw 32 bytes, base64), pem }',
    schema: { type: 'object' },
  })
  publicKey() {
    return this.log.publicKey();
  }

  /**
   * The page comes as JSON text built from the stored entries (see LogService.entriesJson), sent as JSON. Logged
   * entries never change, so the entity tag names the range served rather than hashing the page's bytes (a
   * third of a megabyte each), and a full page may be cached for good; a page cut short by the end of the log
   * may grow, so it is revalidated.
   */
  @Get('log/entries')
  @Public()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOkResponse({ description: '{ entries: [{ index, entry, leafHash }] }', schema: { type: 'object' } })
  @ApiErrors(400)
  async entries(
    @Query() query: EntriesQuery,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | Buffer> {
    const { body, count } = await this.log.entriesJson(query.start, query.end);
    res.setHeader('ETag', `W/"log-entries-${query.start}-${query.start + count}"`);
    res.setHeader(
      'Cache-Control',
      count === query.end - query.start ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    return body;
  }

  @Get('log/proof/inclusion')
  @Public()
  @ApiOkResponse({ description: '{ index, treeSize, auditPath: [hex] }', schema: { type: 'object' } })
  @ApiErrors(400, 404)
  inclusion(@Query() query: InclusionQuery) {
    return this.log.inclusionProof(query.index, query.treeSize);
  }

  @Get('log/proof/consistency')
  @Public()
  @ApiOkResponse({ description: '{ first, second, consistencyPath: [hex] }', schema: { type: 'object' } })
  @ApiErrors(400, 404)
  consistency(@Query() query: ConsistencyQuery) {
    return this.log.consistencyProof(query.first, query.second);
  }

  @Get('tenders/:id/log')
  @Public()
  @ApiOkResponse({
    description: '{ items: [{ index, entry, leafHash }], nextCursor }',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  tenderLog(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    return this.log.tenderLog(id, query.limit, query.cursor);
  }
}

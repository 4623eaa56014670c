import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError } from '@app/domain';
import { type ReferencePrice, ReferencePriceService } from '@app/domain/analytics';
import { ApiErrors } from '../common/api-errors.decorator';
import { Roles } from '../common/auth.decorators';
import { ReferencePriceQueryDto } from './dto/reference-price-query.dto';

/** A buyer's justification of a lot's price from comparable market prices. */
@ApiTags('analytics')
@Controller('analytics')
export class ReferencePriceController {
  constructor(private readonly reference: ReferencePriceService) {}

  @Get('reference-price')
  @Roles('buyer', 'operator', 'auditor')
  @ApiOkResponse({
    description:
      '{ status: insufficient | comparable | not_comparable, count, mean, stdDev, coefficientOfVariation, ' +
      'sources: [{ kind: offer | contract, id, unitPrice, ... }] }: at least 3 sources; above 33% not comparable',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  price(@Query() query: ReferencePriceQueryDto): Promise<ReferencePrice> {
    const byCpv = query.cpv !== undefined && query.unitCode !== undefined;
    if ((query.catalogItemId !== undefined) === byCpv) {
      throw new ValidationFailedError('Give a catalogItemId, or a cpv with a unitCode', {
        field: 'catalogItemId',
      });
    }
    return this.reference.reference(query);
  }
}

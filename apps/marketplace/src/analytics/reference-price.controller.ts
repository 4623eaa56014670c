import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError } from '@app/domain';
import { type ReferencePrice, ReferencePriceService } from '@app/domain/analytics';
import { ApiErrors } from '../common/api-errors.decorator';
import { KnownCpvPipe } from '../common/known-cpv.pipe';
import { Roles } from '../common/auth.decorators';
import { ReferencePriceQueryDto } from './dto/reference-price-query.dto';

/** A buyer's justification of a lot's price from comparable market prices. */
@ApiTags('analytics')
@Controller('analytics')
export class ReferencePriceController {
  constructor(private readonly reference: ReferencePriceService) {}

  @Get('reference-price')
  @Roles('buyer', 'operator', 'auditor')
  @ApiOperation({
    summary: 'Reference price of a catalogue item, or of a CPV code and unit with optional characteristics',
    description:
      'Sources, on one VAT basis (vatIncluded): active offers delivering to the city for the quantity and, with ' +
      'VAT, items of contracts signed in the last 12 months (a joint purchase is one source, for its whole ' +
      'quantity). Give a catalogItemId (its offers, and its contracts in the unit of its card now), or a cpv ' +
      'with a unitCode: offers of every ' +
      'active catalogue item with exactly that CPV code and unit, and contract items with that CPV code and unit; ' +
      'with characteristics, only catalogue items having every one of them count, and contract items through ' +
      'their catalogue item, or by their own characteristics when bought outside the catalogue. Each source ' +
      'names its catalogue item (catalogItem: { id, titleRu, titleEn }, null for a contract item bought outside ' +
      'the catalogue), so the buyer can attach the list to the tender as the justification of its price.',
  })
  @ApiOkResponse({
    description:
      '{ status: insufficient | comparable | not_comparable, count, mean, stdDev, coefficientOfVariation, ' +
      'sources: [{ kind: offer | contract, id, unitPrice, catalogItem, ... }] }: at least 3 sources; above 33% ' +
      'not comparable',
    schema: { type: 'object' },
  })
  @ApiErrors(400, 404)
  price(@Query(KnownCpvPipe) query: ReferencePriceQueryDto): Promise<ReferencePrice> {
    const byCpv = query.cpv !== undefined && query.unitCode !== undefined;
    if ((query.catalogItemId !== undefined) === byCpv) {
      throw new ValidationFailedError('Give a catalogItemId, or a cpv with a unitCode', {
        field: 'catalogItemId',
      });
    }
    if (query.characteristics !== undefined && !byCpv) {
      throw new ValidationFailedError('characteristics go with a cpv and a unitCode', {
        field: 'characteristics',
      });
    }
    return this.reference.reference(query);
  }
}

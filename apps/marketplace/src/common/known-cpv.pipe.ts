import { Injectable, PipeTransform } from '@nestjs/common';
import { ClassificationService } from '@app/catalog';

/**
 * Checks a query's `cpv` as every CPV code the API accepts is checked: format, check digit and existence in the
 * CPV 2008 list (400 CPV_CODE_MALFORMED, CPV_CHECK_DIGIT_INVALID, CPV_CODE_UNKNOWN). A subtree filter of a code
 * that does not exist would otherwise answer for whatever its digits prefix: 00000000-0 for everything.
 * Runs after the global validation pipe, on the validated query.
 */
@Injectable()
export class KnownCpvPipe implements PipeTransform {
  constructor(private readonly classifications: ClassificationService) {}

  async transform<T>(value: T): Promise<T> {
    const cpv = (value as { cpv?: unknown } | null)?.cpv;
    if (cpv !== undefined) await this.classifications.assertCpv(cpv, 'cpv');
    return value;
  }
}

import { Injectable, PipeTransform } from '@nestjs/common';
import { InvalidIdError } from '../common/validation';

/** `ocds-` and six lowercase letters or digits (the prefix), then the process's own identifier. */
export const OCID_PATTERN = /^ocds-[a-z0-9]{6}-[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Path ocids are checked before any query runs: anything else is a 400 naming the parameter. */
@Injectable()
export class OcidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !OCID_PATTERN.test(value)) {
      throw new InvalidIdError(
        'ocid must be "ocds-", six lowercase letters or digits, "-" and an identifier',
        {
          field: 'ocid',
        },
      );
    }
    return value;
  }
}

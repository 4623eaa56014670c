import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED, INVALID_ID, INVALID_JSON, ...)',
  401: 'Missing, invalid or revoked credentials (UNAUTHENTICATED, INVALID_CREDENTIALS, ...)',
  403: 'The caller’s role may not do this (FORBIDDEN_ROLE)',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body larger than 1 MB (PAYLOAD_TOO_LARGE)',
  429: 'Too many attempts (LOGIN_THROTTLED)',
  503: 'A dependency is unavailable (NOT_READY)',
};

/** Documents the error responses of an endpoint, all with the common error body. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
}

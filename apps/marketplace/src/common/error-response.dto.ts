import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error body of the API. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable code' })
  code: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, unknown>;

  @ApiProperty({ example: '6f1c1f0e-1b7d-4c55-8d1e-2f0c4d6e9a10' })
  correlationId: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * A code typed at the second step or to confirm enrolment. Its shape (six digits, or a recovery
 * code) is checked by the handler, which answers a malformed one with a 400 and the page's message;
 * the length bound here only keeps a huge field from reaching it.
 */
export class CodeDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @MaxLength(16384)
  code: string;

  /** Where to go once signed in (a path on this site). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  next?: string;

  /** The form's CSRF token. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  _csrf?: string;
}

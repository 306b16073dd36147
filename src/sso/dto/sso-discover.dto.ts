import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Home-realm discovery: the email typed on the sign-in page. */
export class SsoDiscoverDto {
  @ApiProperty({ example: 'ada@corp.example' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ description: 'Where to go after signing in (same origin only)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  next?: string;
}

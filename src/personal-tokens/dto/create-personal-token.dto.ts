import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';

/** JSON body of POST /account/tokens. Scope and expiry limits are checked by the service. */
export class CreatePersonalTokenDto {
  @ApiProperty({ example: 'backup script', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: ['read:device'], description: 'Registered scopes the user holds; at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  scopes: string[];

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 90,
    description:
      'Days until the token expires (default PAT_DEFAULT_EXPIRY_DAYS, at most PAT_MAX_EXPIRY_DAYS); null = never, only where PAT_ALLOW_NEVER_EXPIRES',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number | null;
}

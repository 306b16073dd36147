import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, MaxLength } from 'class-validator';

/** POST /admin/impersonations (JSON) and the admin page's form. */
export class StartImpersonationDto {
  @ApiProperty({ description: 'The email or id of the person to act for' })
  @IsString()
  @Length(1, 254)
  user: string;

  @ApiProperty({ description: 'Why (recorded in the audit log and shown to other admins)', minLength: 3, maxLength: 500 })
  @IsString()
  @Length(3, 500)
  reason: string;

  @ApiPropertyOptional({ type: [String], description: 'Narrows; default: everything the user holds' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : [value].flat()))
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  scopes?: string[];

  @IsOptional() @IsString() _csrf?: string;
}

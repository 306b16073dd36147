import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ROLES } from '../../auth/roles';
import { BlankToUndefined } from '../../common/blank-to-undefined';
import type { UserStatus } from '../../users/user.entity';

export class ListUsersQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the email or display name' })
  @BlankToUndefined() @IsOptional() @IsString() @MaxLength(254)
  q?: string;

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @BlankToUndefined() @IsOptional() @IsIn(['active', 'disabled'])
  status?: UserStatus;

  @ApiPropertyOptional({ enum: ROLES })
  @BlankToUndefined() @IsOptional() @IsIn(ROLES)
  role?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s nextCursor' })
  @BlankToUndefined() @IsOptional() @IsString() @MaxLength(512)
  cursor?: string;
}

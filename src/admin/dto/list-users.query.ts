import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ROLES } from '../../auth/roles';
import { BlankToUndefined } from '../../common/blank-to-undefined';
import { PageQuery } from '../../common/page.query';
import type { UserStatus } from '../../users/user.entity';

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the email or display name' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(254)
  q?: string;

  @ApiPropertyOptional({ enum: ['active', 'disabled'] })
  @BlankToUndefined()
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: UserStatus;

  @ApiPropertyOptional({ enum: ROLES })
  @BlankToUndefined()
  @IsOptional()
  @IsIn(ROLES)
  role?: string;
}

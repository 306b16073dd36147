import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsTimestamp } from '../../common/is-timestamp.decorator';
import { BlankToUndefined } from '../../common/blank-to-undefined';
import { PageQuery } from '../../common/page.query';
import type { AuditOutcome } from '../audit-event.entity';

/** Filters of the admin audit log (API, page and exports share them). */
export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Actor id (a user or client id)' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @ApiPropertyOptional({ description: 'Exact action, or a prefix ending in `*` (e.g. `admin.*`)' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z0-9_.]*\*?$/, { message: 'action must be like auth.login or admin.*' })
  action?: string;

  @ApiPropertyOptional({ description: 'Target type (user, session, client, …)' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  targetType?: string;

  @ApiPropertyOptional()
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  targetId?: string;

  @ApiPropertyOptional({ enum: ['success', 'denied', 'failed'] })
  @BlankToUndefined()
  @IsOptional()
  @IsIn(['success', 'denied', 'failed'])
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ description: 'ISO 8601; inclusive' })
  @BlankToUndefined()
  @IsOptional()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601; exclusive' })
  @BlankToUndefined()
  @IsOptional()
  @IsTimestamp()
  to?: string;
}

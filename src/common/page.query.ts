import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BlankToUndefined } from './blank-to-undefined';

/** `limit` and opaque `cursor` of a keyset-paginated list (see cursor.ts); list queries extend it. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s nextCursor' })
  @BlankToUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** The keyset request of a list query: its `cursor` and its `limit` (or the list's default). */
export function pageRequest(q: Pick<PageQuery, 'limit' | 'cursor'>, defaultLimit = 50): { limit: number; cursor?: string } {
  return { limit: q.limit ?? defaultLimit, cursor: q.cursor };
}

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

const LIMIT = /^(?:[1-9][0-9]?|100)$/;

/**
 * The PageQuery of a query string that is plainly valid (only `limit`, as 1 to 100 in digits,
 * and `cursor`, a string of at most 512 characters), built without class-transformer and
 * class-validator: the validation pipe's fast path for list routes taking a bare PageQuery.
 * Undefined for anything else, which the full validation then judges (and words the 400 of): this
 * accepts a subset of what the decorators accept and builds the same object from it.
 */
export function plainPageQuery(query: unknown): PageQuery | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const q = new PageQuery();
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') return undefined;
    if (name === 'limit' && LIMIT.test(value)) q.limit = Number(value);
    else if (name === 'cursor' && value.length <= 512) {
      if (value.trim() !== '') q.cursor = value;
    } else return undefined;
  }
  return q;
}

/** The keyset request of a list query: its `cursor` and its `limit` (or the list's default). */
export function pageRequest(q: Pick<PageQuery, 'limit' | 'cursor'>, defaultLimit = 50): { limit: number; cursor?: string } {
  return { limit: q.limit ?? defaultLimit, cursor: q.cursor };
}

import { Brackets, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor';

/** The two columns a keyset page is ordered by, as SQL (`d.created_at`, `d.id`): a time, then a unique tie-breaker. */
export interface KeysetColumns {
  time: string;
  id: string;
}

/** One page of a keyset-paginated list: `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `limit` rows after `cursor`; `order: 'asc'` walks oldest first (time series), the default newest first. */
export interface PageRequest {
  limit: number;
  cursor?: string;
  order?: 'asc' | 'desc';
}

/**
 * Orders by (time, id), newest first unless `order` is 'asc', and, given a cursor from the
 * previous page, keeps only the rows after it. An unreadable cursor is a 400 (decodeCursor).
 * Adds no LIMIT: see keysetPage.
 */
export function keysetOrder<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  cols: KeysetColumns,
  cursor?: string,
  order: 'asc' | 'desc' = 'desc',
): SelectQueryBuilder<T> {
  const after = order === 'asc' ? '>' : '<';
  if (cursor) {
    const pos = decodeCursor(cursor);
    const t = new Date(pos.t);
    qb.andWhere(
      new Brackets((w) =>
        w
          .where(`${cols.time} ${after} :keysetT`, { keysetT: t })
          .orWhere(`${cols.time} = :keysetT AND ${cols.id} ${after} :keysetId`, { keysetT: t, keysetId: pos.id }),
      ),
    );
  }
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  return qb.orderBy(cols.time, dir).addOrderBy(cols.id, dir);
}

/**
 * Runs the query for one page of `limit` rows after `cursor`, newest first. `key` reads a row's
 * (time, id), the same columns as `cols`, to build the next cursor.
 */
export async function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  cols: KeysetColumns,
  page: PageRequest,
  key: (row: T) => { time: Date; id: string },
): Promise<Page<T>> {
  const rows = await keysetOrder(qb, cols, page.cursor, page.order)
    .limit(page.limit + 1)
    .getMany();
  return pageFrom(rows, page.limit, key);
}

/** The page from `limit + 1` rows fetched newest first: the extra row only says there is more. */
export function pageFrom<T>(rows: T[], limit: number, key: (row: T) => { time: Date; id: string }): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const k = last && rows.length > limit ? key(last) : undefined;
  return { items, nextCursor: k ? encodeCursor({ t: k.time.toISOString(), id: k.id }) : null };
}

/**
 * One page of a list assembled in memory (a user's few consents or credentials, gathered from
 * several tables): the same order, cursor and limit as keysetPage, so callers cannot tell.
 */
export function pageOfList<T>(rows: T[], page: PageRequest, key: (row: T) => { time: Date; id: string }): Page<T> {
  const sign = page.order === 'asc' ? 1 : -1;
  const cmp = (a: { time: Date; id: string }, b: { time: Date; id: string }) =>
    sign * (a.time.getTime() - b.time.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const pos = page.cursor ? decodeCursor(page.cursor) : undefined;
  const from = pos ? { time: new Date(pos.t), id: pos.id } : undefined;
  const sorted = rows
    .map((row) => ({ row, k: key(row) }))
    .filter((r) => !from || cmp(r.k, from) > 0)
    .sort((a, b) => cmp(a.k, b.k))
    .slice(0, page.limit + 1)
    .map((r) => r.row);
  return pageFrom(sorted, page.limit, key);
}

/** Maps a page's items (entities to views) and keeps its cursor. */
export function mapPage<T, V>(page: Page<T>, map: (item: T) => V): Page<V> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

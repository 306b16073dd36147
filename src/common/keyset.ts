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

/**
 * Orders newest first by (time, id) and, given a cursor from the previous page, keeps only the
 * rows after it. An unreadable cursor is a 400 (decodeCursor). Adds no LIMIT: see keysetPage.
 */
export function keysetOrder<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, cols: KeysetColumns, cursor?: string): SelectQueryBuilder<T> {
  if (cursor) {
    const pos = decodeCursor(cursor);
    const t = new Date(pos.t);
    qb.andWhere(
      new Brackets((w) =>
        w.where(`${cols.time} < :keysetT`, { keysetT: t }).orWhere(`${cols.time} = :keysetT AND ${cols.id} < :keysetId`, { keysetT: t, keysetId: pos.id }),
      ),
    );
  }
  return qb.orderBy(cols.time, 'DESC').addOrderBy(cols.id, 'DESC');
}

/**
 * Runs the query for one page of `limit` rows after `cursor`, newest first. `key` reads a row's
 * (time, id), the same columns as `cols`, to build the next cursor.
 */
export async function keysetPage<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  cols: KeysetColumns,
  page: { limit: number; cursor?: string },
  key: (row: T) => { time: Date; id: string },
): Promise<Page<T>> {
  const rows = await keysetOrder(qb, cols, page.cursor)
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

/** Maps a page's items (entities to views) and keeps its cursor. */
export function mapPage<T, V>(page: Page<T>, map: (item: T) => V): Page<V> {
  return { items: page.items.map(map), nextCursor: page.nextCursor };
}

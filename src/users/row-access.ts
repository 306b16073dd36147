import { ForbiddenException } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { RowFilter } from '../common/keyset';
import { ADMIN_SCOPE } from './users.scopes';

/**
 * Row access for resources a user owns (devices, alerts, …): the owner sees and changes their
 * rows; a principal holding `admin` sees every row. Services call these instead of repeating
 * the rule, so every module answers "whose row is this" the same way.
 */
export function isAdmin(p: Principal): boolean {
  return p.scopes.has(ADMIN_SCOPE);
}

/** The user the principal acts for, or undefined (a client acting as itself owns nothing). */
export function ownerIdOf(p: Principal): string | undefined {
  return p.user?.id;
}

/**
 * The `where` a repository lookup adds: nothing for an admin, else `{ [key]: ownerId }`. A
 * principal with no user matches no row ('' is never a user id), so another user's row is "not
 * found", never "forbidden".
 */
export function ownedBy<K extends string>(p: Principal, key: K): Partial<Record<K, string>> {
  return isAdmin(p) ? {} : ({ [key]: ownerIdOf(p) ?? '' } as Record<K, string>);
}

/** The same rule on a query builder: `column` is the owner's SQL column (`d.owner_id`). */
export function whereOwnedBy<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, p: Principal, column: string): SelectQueryBuilder<T> {
  return isAdmin(p) ? qb : qb.andWhere(`${column} = :rowOwner`, { rowOwner: ownerIdOf(p) ?? '' });
}

/** The same rule as a prepared list's filter (PreparedKeysetList): one constant condition per rule. */
export function ownedRowsFilter(p: Principal, column: string): RowFilter {
  return isAdmin(p) ? {} : { where: `${column} = :rowOwner`, params: { rowOwner: ownerIdOf(p) ?? '' } };
}

/** The owner of a row being created; 403 when the credential acts for no user. */
export function requireOwnerId(p: Principal, what: string): string {
  const ownerId = ownerIdOf(p);
  if (!ownerId) throw new ForbiddenException(`${what} are owned by users; this credential acts for no user`);
  return ownerId;
}

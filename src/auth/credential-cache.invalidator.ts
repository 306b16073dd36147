import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  RemoveEvent,
  TransactionCommitEvent,
  TransactionRollbackEvent,
  UpdateEvent,
} from 'typeorm';
import { CredentialCache } from './credential-cache';

/**
 * Columns whose updates never end or narrow a credential: bookkeeping written on the hot path
 * itself (last use of a PAT, last activity of a session). Every other UPDATE invalidates.
 */
const BOOKKEEPING = new Set(['lastUsedAt', 'lastUsedIp', 'lastSeenAt']);

/**
 * Tables whose writes cannot affect any credential (high-volume resource data, the audit log, the
 * housekeeping lease renewed after every purge batch, the mail outbox's delivery bookkeeping).
 */
const UNRELATED_TABLES = new Set(['audit_events', 'devices', 'samples', 'device_samples', 'housekeeping_leases', 'outbox_messages']);

/**
 * Empties the credential cache on every UPDATE or DELETE made through TypeORM (repositories and
 * query builders alike) to a table that can hold credential state: revocation, deletion,
 * disabling a user or client, role changes, secret rotation — including those that modules added
 * later perform, without each having to remember to call the cache. Inside a transaction it
 * invalidates again at commit, so a lookup racing the uncommitted write cannot keep the old
 * state cached. Writes by raw SQL are not seen (none on credential tables), and writes by other
 * processes are bounded by the cache's TTL (≤ 1 s) and the cross-instance fan-out.
 */
@Injectable()
export class CredentialCacheInvalidator implements EntitySubscriberInterface {
  private readonly pending = new WeakSet<QueryRunner>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly cache: CredentialCache,
  ) {
    dataSource.subscribers.push(this);
  }

  afterUpdate(event: UpdateEvent<unknown>): void {
    if (UNRELATED_TABLES.has(event.metadata.tableName)) return;
    const changed =
      event.updatedColumns.length > 0
        ? event.updatedColumns.map((c) => c.propertyName)
        : Object.keys((event.entity as object | undefined) ?? {});
    if (changed.length > 0 && changed.every((c) => BOOKKEEPING.has(c))) return;
    this.invalidate(event.queryRunner);
  }

  afterRemove(event: RemoveEvent<unknown>): void {
    if (UNRELATED_TABLES.has(event.metadata.tableName)) return;
    this.invalidate(event.queryRunner);
  }

  afterSoftRemove(event: RemoveEvent<unknown>): void {
    this.afterRemove(event);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (!this.pending.has(event.queryRunner)) return;
    this.pending.delete(event.queryRunner);
    this.cache.invalidateAll();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.pending.delete(event.queryRunner);
  }

  private invalidate(queryRunner: QueryRunner | undefined): void {
    this.cache.invalidateAll();
    if (queryRunner?.isTransactionActive) this.pending.add(queryRunner);
  }
}

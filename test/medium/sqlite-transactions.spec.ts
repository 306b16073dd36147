import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { serializeSqliteTransactions } from '../../src/database/sqlite-transactions';

/**
 * Why src/database/sqlite-transactions.ts exists, checked against the installed TypeORM: its
 * SQLite driver runs every query on one connection, so transactions that overlap in time (each
 * awaits between its statements, as request handlers do) interleave on it. When a TypeORM
 * upgrade makes the first case pass, the queue can go (docs/architecture.md, "Dependency pins").
 * On MySQL/MariaDB the queue is not installed and the pool runs them side by side.
 */
describe('overlapping transactions', () => {
  const mysql = process.env.DATABASE_URL?.startsWith('mysql://') ? process.env.DATABASE_URL : undefined;
  const file = join(tmpdir(), `gatehouse-tx-${randomUUID()}.sqlite`);
  const table = `tx_probe_${randomUUID().slice(0, 8)}`;
  let ds: DataSource;

  beforeAll(async () => {
    const options = buildDataSourceOptions(mysql ? { type: 'mysql', url: mysql } : { type: 'sqlite', path: file });
    ds = await new DataSource({ ...options, entities: [], migrations: [] }).initialize();
    await ds.query(`CREATE TABLE ${table} (tag varchar(16) NOT NULL)`);
  });
  afterAll(async () => {
    await ds.query(`DROP TABLE ${table}`);
    await ds.destroy();
    if (!mysql) for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  });
  beforeEach(() => ds.query(`DELETE FROM ${table}`));

  /** Three transactions started together, each writing two rows with a pause between; `b` then fails. */
  const overlap = async () => {
    const work = (tag: string) =>
      ds.transaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} (tag) VALUES (?)`, [`${tag}1`]);
        await sleep(20);
        await tx.query(`INSERT INTO ${table} (tag) VALUES (?)`, [`${tag}2`]);
        if (tag === 'b') throw new Error('b fails');
      });
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map(work));
    const rows = (await ds.query(`SELECT tag FROM ${table} ORDER BY tag`)) as { tag: string }[];
    return { outcomes: outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : (o.reason as Error).message)), tags: rows.map((r) => r.tag) };
  };
  const correct = { outcomes: ['ok', 'b fails', 'ok'], tags: ['a1', 'a2', 'c1', 'c2'] };

  it('SQLite: TypeORM alone interleaves them on its one connection (the reason for the queue)', async () => {
    if (mysql) return; // MySQL's pool gives each transaction a connection: nothing to show there
    const { outcomes, tags } = await overlap();
    expect(outcomes).not.toEqual(correct.outcomes);
    expect(outcomes).toContain('SqliteError: cannot start a transaction within a transaction');
    expect(tags).not.toEqual(correct.tags);
  });

  it('with serializeSqliteTransactions each commits or rolls back whole, on SQLite and on MySQL', async () => {
    serializeSqliteTransactions(ds);
    expect(await overlap()).toEqual(correct);
  });
});

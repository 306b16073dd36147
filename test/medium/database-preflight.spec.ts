import { checkDatabaseReachable, DatabaseUnavailableError } from '../../src/database/database-preflight';

/** Start-up's database check (src/main.ts): a missing MySQL database or server is one plain line. */
describe('database preflight (issue 15)', () => {
  const failure = (url: string): Promise<Error> =>
    checkDatabaseReachable({ type: 'mysql', url }).then(
      () => new Error('no failure'),
      (e: unknown) => e as Error,
    );

  it('a MySQL server that cannot be reached is one plain line naming host and port; SQLite needs no check', async () => {
    await expect(checkDatabaseReachable({ type: 'sqlite', path: ':memory:' })).resolves.toBeUndefined();
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const err = await failure('mysql://root@127.0.0.1:1/gatehouse');
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(err.message).toMatch(/^Cannot connect to MySQL at 127\.0\.0\.1:1 \(DATABASE_URL\)/);
    expect(err.message).not.toContain('\n');
  });

  it('on the suite’s MySQL: its database passes, a missing one says how to create it', async () => {
    const url = process.env.DATABASE_URL;
    if (!url?.startsWith('mysql://')) return; // SQLite runs: covered by the refused-port case above
    await expect(checkDatabaseReachable({ type: 'mysql', url })).resolves.toBeUndefined();
    const missing = new URL(url);
    missing.pathname = '/gatehouse_no_such_database_here';
    const err = await failure(missing.toString());
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(err.message).toBe(
      `The database "gatehouse_no_such_database_here" does not exist on ${missing.hostname}:${missing.port || '3306'}. Create it (CREATE DATABASE \`gatehouse_no_such_database_here\`) or fix DATABASE_URL; Gatehouse then creates its tables.`,
    );
  });

  it('PostgreSQL: a refused port is one plain line; on the suite’s PostgreSQL its database passes, a missing one says how to create it', async () => {
    const refused = await checkDatabaseReachable({ type: 'postgres', url: 'postgres://postgres@127.0.0.1:1/gatehouse' }).then(
      () => new Error('no failure'),
      (e: unknown) => e as Error,
    );
    expect(refused).toBeInstanceOf(DatabaseUnavailableError);
    expect(refused.message).toMatch(/^Cannot connect to PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL\)/);
    const url = process.env.DATABASE_URL;
    if (!/^postgres(ql)?:\/\//.test(url ?? '')) return; // other runs: the refused port above
    await expect(checkDatabaseReachable({ type: 'postgres', url: url! })).resolves.toBeUndefined();
    const missing = new URL(url!);
    missing.pathname = '/gatehouse_no_such_database_here';
    const err = await checkDatabaseReachable({ type: 'postgres', url: missing.toString() }).then(
      () => new Error('no failure'),
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect(err.message).toMatch(
      /^The database "gatehouse_no_such_database_here" does not exist on .*createdb gatehouse_no_such_database_here/,
    );
  });
});

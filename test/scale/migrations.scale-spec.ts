import { MIGRATIONS } from '../../src/migrations';
import { freshDatabase, Instance, queryRows, startInstances } from './support/instance';

/** Issue 11: N instances starting at once on an empty database apply each migration exactly once (GET_LOCK on MySQL/MariaDB, pg_try_advisory_lock on PostgreSQL). */
describe('migrations with three instances starting together', () => {
  const instances: Instance[] = [];
  let url: string;

  beforeAll(async () => {
    url = await freshDatabase('migrate');
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
  });

  it('all three start, and every migration is recorded once', async () => {
    const started = await startInstances([0, 1, 2].map(() => ({ DATABASE_URL: url })));
    instances.push(...started);
    for (const i of started) expect((await i.http.get('/health/ready')).status).toBe(200);

    const rows = await queryRows<{ name: string; n: number | string }>(url, 'SELECT name, COUNT(*) AS n FROM migrations GROUP BY name');
    expect(rows.map((r) => r.name).sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    // Nobody logged a failed migration or a duplicate table.
    for (const i of started) expect(i.output()).not.toMatch(/already exists|Migration .* failed|QueryFailedError/);
  });
});

import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { PurgeTask, PurgeTaskRegistry } from '../../src/housekeeping/purge-task';
import { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { PersonalTokensPurge } from '../../src/personal-tokens/personal-tokens.purge';
import { Session } from '../../src/sessions/session.entity';
import { SessionsPurge } from '../../src/sessions/sessions.purge';
import { User } from '../../src/users/user.entity';
import { openTestDatabase, TestDatabase } from './support/test-database';

/**
 * The purge's queries on a real database (issue 11): a row goes when any of its end columns
 * (`expires_at`, `revoked_at`) is strictly before the cutoff, never otherwise, at most `limit`
 * rows per batch, each table by its own task. All times here are in 2000, far before anything
 * other tests write, so the shared MySQL database's other rows are out of reach of the cutoff.
 */
describe('purge tasks on a real database', () => {
  let db: TestDatabase;
  let pats: Repository<PersonalToken>;
  let sessions: Repository<Session>;
  let user: User;
  const tasks = new PurgeTaskRegistry();
  const cutoff = new Date('2001-01-01T00:00:00.000Z');
  const at = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

  beforeAll(async () => {
    db = await openTestDatabase([User, PersonalToken, Session]);
    pats = db.dataSource.getRepository(PersonalToken);
    sessions = db.dataSource.getRepository(Session);
    new PersonalTokensPurge(tasks, pats).onModuleInit();
    new SessionsPurge(tasks, sessions).onModuleInit();
    const users = db.dataSource.getRepository(User);
    const now = new Date();
    user = await users.save(
      users.create({
        email: `purge-${randomUUID().slice(0, 8)}@example.test`,
        displayName: 'Purge',
        passwordHash: 'x',
        status: 'active',
        roles: ['user'],
        createdAt: now,
        updatedAt: now,
      }),
    );
  });
  afterAll(() => db.close());

  const task = (name: string): PurgeTask => tasks.all().find((t) => t.name === name)!;
  const hash = () => randomUUID().replace(/-/g, '').padEnd(64, '0');

  async function pat(expiresAt: Date | null, revokedAt: Date | null): Promise<string> {
    const row = await pats.save(
      pats.create({
        userId: user.id,
        name: 'p',
        tokenHash: hash(),
        hint: 'ghpat_…',
        scopes: [],
        createdAt: at('2000-01-01'),
        expiresAt,
        revokedAt,
        lastUsedAt: null,
        lastUsedIp: null,
      }),
    );
    return row.id;
  }

  async function session(expiresAt: Date, revokedAt: Date | null): Promise<string> {
    const row = await sessions.save(
      sessions.create({
        userId: user.id,
        secretHash: hash(),
        createdAt: at('2000-01-01'),
        lastSeenAt: at('2000-01-01'),
        expiresAt,
        revokedAt,
        ip: null,
        userAgent: null,
      }),
    );
    return row.id;
  }

  /** Runs a task's batches until one comes back short, as HousekeepingService does. */
  async function drain(t: PurgeTask, limit: number): Promise<number[]> {
    const batches: number[] = [];
    for (;;) {
      const n = await t.purgeBatch(cutoff, limit);
      batches.push(n);
      if (n < limit) return batches;
    }
  }

  const remaining = async (repo: Repository<PersonalToken> | Repository<Session>, ids: string[]) =>
    (await repo.createQueryBuilder('t').select('t.id', 'id').whereInIds(ids).getRawMany<{ id: string }>()).map((r) => r.id).sort();

  it('deletes personal access tokens expired or revoked before the cutoff, in batches of at most `limit`, and nothing else', async () => {
    const ended = [
      await pat(at('2000-06-01'), null), // expired
      await pat(null, at('2000-06-01')), // never expires, revoked
      await pat(at('2000-06-01'), at('2000-05-01')), // both: deleted once
      await pat(at('2000-12-31'), null),
      await pat(at('2000-02-01'), null),
    ];
    const kept = [
      await pat(cutoff, null), // expires exactly at the cutoff: not before it
      await pat(at('2001-06-01'), null), // expired after the cutoff (within the retention)
      await pat(null, null), // live, never expires
      await pat(at('2099-01-01'), at('2001-02-01')), // revoked after the cutoff
      await pat(at('2099-01-01'), null), // live
    ];
    const sessionIds = [await session(at('2000-06-01'), null), await session(at('2099-01-01'), null)];

    expect(await drain(task('personal_access_tokens'), 2)).toEqual([2, 2, 1]);
    expect(await remaining(pats, [...ended, ...kept])).toEqual([...kept].sort());
    // Another table's task, not this one, deletes sessions.
    expect(await remaining(sessions, sessionIds)).toEqual([...sessionIds].sort());
    await sessions.delete(sessionIds);
  });

  it('deletes sessions expired or revoked before the cutoff, and keeps the live ones', async () => {
    const ended = [await session(at('2000-06-01'), null), await session(at('2099-01-01'), at('2000-06-01'))];
    const kept = [await session(at('2099-01-01'), null), await session(at('2001-06-01'), at('2001-02-01')), await session(cutoff, null)];

    expect(await drain(task('sessions'), 10)).toEqual([ended.length]);
    expect(await remaining(sessions, [...ended, ...kept])).toEqual([...kept].sort());
  });
});

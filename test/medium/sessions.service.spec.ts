import { CredentialCache } from '../../src/auth/credential-cache';
import { CredentialCacheInvalidator } from '../../src/auth/credential-cache.invalidator';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { generateToken, hashToken } from '../../src/auth/token-format';
import type { AppConfig } from '../../src/config/app-config';
import { Session } from '../../src/sessions/session.entity';
import { SessionsService } from '../../src/sessions/sessions.service';
import { User } from '../../src/users/user.entity';
import { openTestDatabase, TestDatabase } from './support/test-database';
import { SESSION_TOKEN } from '../../src/sessions/session.token-kind';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';

const IDLE_MS = 30 * 60_000;
const ABSOLUTE_MS = 8 * 3_600_000;
const META = { ip: '192.0.2.7', userAgent: 'jest', requestId: 'medium' };

describe('SessionsService on a real database', () => {
  let db: TestDatabase;
  let sessions: Repository<Session>;
  let users: Repository<User>;
  let service: SessionsService;

  beforeAll(async () => {
    db = await openTestDatabase([User, Session]);
    sessions = db.dataSource.getRepository(Session);
    users = db.dataSource.getRepository(User);
    // The real credential cache and its invalidator on this database: revocations must hold with the cache on.
    const cache = new CredentialCache({ credentialCache: { ttlMs: 1000, maxEntries: 100 } } as AppConfig);
    new CredentialCacheInvalidator(db.dataSource, cache);
    service = new SessionsService(sessions, { session: { idleMs: IDLE_MS, absoluteMs: ABSOLUTE_MS } } as AppConfig, cache);
  });
  afterAll(() => db.close());
  afterEach(() => jest.restoreAllMocks());

  async function newUser(status: User['status'] = 'active'): Promise<User> {
    const now = new Date();
    return users.save(
      users.create({
        email: `medium-${randomUUID().slice(0, 8)}@example.test`,
        displayName: 'Medium',
        passwordHash: 'x',
        status,
        roles: ['user'],
        createdAt: now,
        updatedAt: now,
      }),
    );
  }

  /** Moves a session's clock: how long ago it was last seen, and when it expires. */
  async function age(id: string, lastSeenMsAgo: number, expiresInMs = ABSOLUTE_MS) {
    const now = Date.now();
    await sessions.update({ id }, { lastSeenAt: new Date(now - lastSeenMsAgo), expiresAt: new Date(now + expiresInMs) });
  }

  const row = (id: string) => sessions.findOneByOrFail({ id });

  describe('start', () => {
    it('stores only the SHA-256 of the secret, with the request facts and both timeouts', async () => {
      const user = await newUser();
      const before = Date.now();
      const { session, secret } = await service.start(user, META);
      expect(secret).toMatch(/^ghss_[0-9A-Za-z]{36}$/);
      const stored = await row(session.id);
      expect(stored.secretHash).toBe(hashToken(secret));
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(stored).toMatchObject({ userId: user.id, ip: META.ip, userAgent: 'jest', revokedAt: null });
      expect(stored.lastSeenAt.getTime()).toBe(stored.createdAt.getTime());
      expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(ABSOLUTE_MS);
      expect(stored.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    });

    it('issues a new id and secret at every start', async () => {
      const user = await newUser();
      const a = await service.start(user, META);
      const b = await service.start(user, META);
      expect(a.session.id).not.toBe(b.session.id);
      expect(a.secret).not.toBe(b.secret);
    });
  });

  describe('authenticate', () => {
    it('returns the live session with its user', async () => {
      const user = await newUser();
      const { session, secret } = await service.start(user, META);
      const found = await service.authenticate(secret);
      expect(found?.id).toBe(session.id);
      expect(found?.user.email).toBe(user.email);
    });

    it('returns null for an unknown well-formed secret', async () => {
      expect(await service.authenticate(generateToken(SESSION_TOKEN))).toBeNull();
    });

    it('refuses a malformed secret without touching the database', async () => {
      const find = jest.spyOn(sessions, 'findOne');
      expect(await service.authenticate('ghss_not-a-real-secret')).toBeNull();
      expect(await service.authenticate(generateToken(ACCESS_TOKEN))).toBeNull();
      expect(find).not.toHaveBeenCalled();
    });

    it('ends a session after the idle timeout', async () => {
      const { session, secret } = await service.start(await newUser(), META);
      await age(session.id, IDLE_MS - 5_000);
      expect(await service.authenticate(secret)).not.toBeNull();
      await age(session.id, IDLE_MS + 1_000);
      expect(await service.authenticate(secret)).toBeNull();
    });

    it('ends a session at its absolute timeout however active it is', async () => {
      const { session, secret } = await service.start(await newUser(), META);
      await age(session.id, 0, -1_000);
      expect(await service.authenticate(secret)).toBeNull();
    });

    it('refuses the session of a user who is no longer active', async () => {
      const user = await newUser();
      const { secret } = await service.start(user, META);
      await users.update({ id: user.id }, { status: 'disabled' });
      expect(await service.authenticate(secret)).toBeNull();
    });

    it('writes last_seen_at at most once a minute, not on every request', async () => {
      const { session, secret } = await service.start(await newUser(), META);
      const update = jest.spyOn(sessions, 'update');

      for (let i = 0; i < 5; i++) await service.authenticate(secret);
      expect(update).not.toHaveBeenCalled();

      await age(session.id, 2 * 60_000);
      update.mockClear();
      const before = Date.now();
      await service.authenticate(secret);
      await service.authenticate(secret);
      await service.authenticate(secret);
      expect(update).toHaveBeenCalledTimes(1);
      expect((await row(session.id)).lastSeenAt.getTime()).toBeGreaterThanOrEqual(before - 1);
    });
  });

  describe('revocation', () => {
    it('revokeOwn ends one of the caller’s sessions, once', async () => {
      const user = await newUser();
      const { session, secret } = await service.start(user, META);
      expect(await service.revokeOwn(user.id, session.id)).toBe(true);
      expect(await service.authenticate(secret)).toBeNull();
      expect((await row(session.id)).revokedAt).toBeInstanceOf(Date);
      expect(await service.revokeOwn(user.id, session.id)).toBe(false);
    });

    it('revokeOwn cannot end another user’s session', async () => {
      const owner = await newUser();
      const other = await newUser();
      const { session, secret } = await service.start(owner, META);
      expect(await service.revokeOwn(other.id, session.id)).toBe(false);
      expect(await service.authenticate(secret)).not.toBeNull();
    });

    it('revokeOthers ends every other session of the user and keeps the current one', async () => {
      const user = await newUser();
      const bystander = await newUser();
      const current = await service.start(user, META);
      const others = [await service.start(user, META), await service.start(user, META)];
      const theirs = await service.start(bystander, META);

      expect(await service.revokeOthers(user.id, current.session.id)).toBe(2);
      expect(await service.authenticate(current.secret)).not.toBeNull();
      for (const o of others) expect(await service.authenticate(o.secret)).toBeNull();
      expect(await service.authenticate(theirs.secret)).not.toBeNull();
      expect(await service.revokeOthers(user.id, current.session.id)).toBe(0);
    });

    it('listActiveForUser leaves out revoked, idle and expired sessions', async () => {
      const user = await newUser();
      const live = await service.start(user, META);
      const revoked = await service.start(user, META);
      const idle = await service.start(user, META);
      const expired = await service.start(user, META);
      await service.revokeOwn(user.id, revoked.session.id);
      await age(idle.session.id, IDLE_MS + 1_000);
      await age(expired.session.id, 0, -1_000);
      expect((await service.listActiveForUser(user.id)).map((s) => s.id)).toEqual([live.session.id]);
    });
  });
});

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, IsNull, Not, Repository } from 'typeorm';
import { CredentialCache } from '../auth/credential-cache';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import { keysetPage, type Page, type PageRequest } from '../common/keyset';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { User } from '../users/user.entity';
import { authenticatedAt, Session } from './session.entity';
import { SESSION_TOKEN } from './session.token-kind';
import type { RequiredSignInStep } from './sign-in-steps';

/**
 * How the user authenticated when a session starts or re-authenticates (OpenID Connect Core §2):
 * `amr` lists RFC 8176 method names in order (`pwd`, `otp`, `hwk`, `swk`, `mfa`), `acr` an optional
 * context class.
 */
export interface SessionAuthentication {
  amr: readonly string[];
  acr?: string | null;
  /** The upstream identity provider's issuer when the user signed in through single sign-on (the id_token's `idp`). */
  idp?: string | null;
}

/** A session that was just ended (signed out, revoked, replaced by a new sign-in). */
export interface EndedSession {
  id: string;
  userId: string;
}

/**
 * Told of every session end, after it is written (OpenID Connect back-channel logout enqueues its
 * notices here). A listener must be quick (an INSERT, not a network call) and its failure never
 * fails the sign-out: it is logged.
 */
export type SessionEndListener = (ended: readonly EndedSession[]) => Promise<void>;

/** last_seen_at is written at most this often per session, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  private readonly endListeners: SessionEndListener[] = [];

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: CredentialCache,
  ) {}

  /**
   * Starts a new session (a fresh id at every sign-in: no fixation). Returns the secret once.
   * `authentication` records how the user signed in (OpenID Connect Core §2 `amr`/`acr`; RFC 8176
   * method names); password sign-in passes `{ amr: ['pwd'] }`. `auth_time` is now. With `pending`
   * the session starts partial (see sign-in-steps.ts): it authenticates only where that step
   * allows, until `completeStep` or `pending.ttlMs` from now.
   */
  async start(
    user: User,
    meta: RequestMeta,
    authentication: SessionAuthentication = { amr: ['pwd'] },
    pending?: RequiredSignInStep,
  ): Promise<{ session: Session; secret: string }> {
    const secret = generateToken(SESSION_TOKEN);
    const now = new Date();
    const session = await this.sessions.save(
      this.sessions.create({
        secretHash: hashToken(secret),
        userId: user.id,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.config.session.absoluteMs),
        revokedAt: null,
        authTime: now,
        amr: [...authentication.amr],
        acr: authentication.acr ?? null,
        idp: authentication.idp ?? null,
        pendingStep: pending?.step ?? null,
        pendingUntil: pending ? new Date(now.getTime() + pending.ttlMs) : null,
        ip: meta.ip,
        userAgent: meta.userAgent,
      }),
    );
    return { session, secret };
  }

  /**
   * Records a (re-)authentication in a live session, e.g. a second factor after the password:
   * `amr` replaces the session's list (pass the whole list, e.g. `['pwd', 'otp', 'mfa']`), `acr`
   * replaces it when given, and `auth_time` becomes `at` (default now). Later id_tokens carry the
   * new values (Core §2); the UPDATE empties the credential cache (CredentialCacheInvalidator), so
   * the next request reads them. False when the session is not live.
   */
  async recordAuthentication(sessionId: string, authentication: SessionAuthentication, at = new Date()): Promise<boolean> {
    const res = await this.sessions.update(
      { id: sessionId, revokedAt: IsNull() },
      { authTime: at, amr: [...authentication.amr], ...(authentication.acr !== undefined ? { acr: authentication.acr } : {}) },
    );
    return (res.affected ?? 0) > 0;
  }

  /**
   * Ends a partial session's step (the second factor passed, the required factor enrolled): the
   * session becomes full, with `authentication` recorded as by `recordAuthentication`. Only while
   * the session is live, still in `step` and its partial state has not expired; false otherwise.
   * One conditional UPDATE, so two completions racing cannot both win.
   */
  async completeStep(sessionId: string, step: string, authentication: SessionAuthentication, at = new Date()): Promise<boolean> {
    const res = await this.sessions
      .createQueryBuilder()
      .update(Session)
      .set({
        pendingStep: null,
        pendingUntil: null,
        authTime: at,
        amr: [...authentication.amr],
        ...(authentication.acr !== undefined ? { acr: authentication.acr } : {}),
      })
      .where('id = :sessionId AND revoked_at IS NULL AND pending_step = :step AND pending_until > :at', { sessionId, step, at })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /**
   * The hot path: a format check, then a credential-cache hit (at most 1 s old, emptied by every
   * revocation) or one indexed lookup (session joined with its user).
   * Returns null for anything not live: unknown, revoked, idle or absolutely expired, a partial
   * session past its `pending_until`, or a user who is no longer active. A live partial session is
   * returned with its `pendingStep`: callers must check it (SessionPrincipalReader does).
   */
  async authenticate(secret: string): Promise<(Session & { user: User }) | null> {
    if (!isWellFormed(SESSION_TOKEN, secret)) return null;
    const secretHash = hashToken(secret);
    const session = await this.cache.getOrLoad('session', secretHash, () => this.findLiveByHash(secretHash));
    if (!session?.user || session.user.status !== 'active') return null;
    const now = Date.now();
    if (session.expiresAt.getTime() <= now) return null;
    if (session.lastSeenAt.getTime() + this.config.session.idleMs <= now) return null;
    if (session.pendingStep !== null && (session.pendingUntil?.getTime() ?? 0) <= now) return null;
    if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      // The row may be the cached one: updating it in place keeps other requests from touching again.
      session.lastSeenAt = new Date(now);
      await this.sessions.update({ id: session.id }, { lastSeenAt: session.lastSeenAt });
    }
    return session as Session & { user: User };
  }

  /**
   * How the user of a session authenticated (Core §2: `auth_time`, `amr`, `acr`), for the
   * OpenID Connect checks at /oauth/authorize (`max_age`, `prompt=login`). Null when unknown.
   */
  async authenticationOf(sessionId: string): Promise<{ authTime: Date; amr: string[] | null; acr: string | null } | null> {
    const row = await this.sessions.findOne({
      where: { id: sessionId },
      select: { id: true, createdAt: true, authTime: true, amr: true, acr: true },
    });
    return row ? { authTime: authenticatedAt(row), amr: row.amr, acr: row.acr } : null;
  }

  /** One SELECT by the unique hash index, joined with the user, of only what a principal needs. */
  private findLiveByHash(secretHash: string): Promise<Session | null> {
    return this.sessions
      .createQueryBuilder('s')
      .innerJoin('s.user', 'u')
      .select([
        's.id',
        's.userId',
        's.createdAt',
        's.lastSeenAt',
        's.expiresAt',
        's.authTime',
        's.amr',
        's.acr',
        's.pendingStep',
        's.pendingUntil',
        'u.id',
        'u.email',
        'u.displayName',
        'u.roles',
        'u.status',
        'u.passwordTemporary',
      ])
      .where('s.secret_hash = :secretHash', { secretHash })
      .andWhere('s.revoked_at IS NULL')
      .getOne();
  }

  listActiveForUser(userId: string): Promise<Session[]> {
    const now = new Date();
    return this.sessions
      .find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'DESC' } })
      .then((rows) => rows.filter((s) => s.expiresAt > now && s.lastSeenAt.getTime() + this.config.session.idleMs > now.getTime()));
  }

  /** One keyset page of the user's live sessions (not revoked, not expired, not idle), newest first. */
  pageActiveForUser(userId: string, page: PageRequest): Promise<Page<Session>> {
    const now = new Date();
    const qb = this.sessions
      .createQueryBuilder('s')
      .where('s.user_id = :userId AND s.revoked_at IS NULL AND s.expires_at > :now AND s.last_seen_at > :idleSince', {
        userId,
        now,
        idleSince: new Date(now.getTime() - this.config.session.idleMs),
      });
    return keysetPage(qb, { time: 's.created_at', id: 's.id' }, page, (s) => ({ time: s.createdAt, id: s.id }));
  }

  /** Revokes one of the user's own sessions. False when it is not theirs or already ended. */
  async revokeOwn(userId: string, sessionId: string): Promise<boolean> {
    const res = await this.sessions.update({ id: sessionId, userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    const ended = (res.affected ?? 0) > 0;
    if (ended) await this.tellEnded([{ id: sessionId, userId }]);
    return ended;
  }

  async revokeOthers(userId: string, keepSessionId: string): Promise<number> {
    return this.revokeWhere({ userId, id: Not(keepSessionId), revokedAt: IsNull() });
  }

  /** Registers a listener told of every session end (from the listening module's constructor). */
  onEnded(listener: SessionEndListener): void {
    this.endListeners.push(listener);
  }

  /**
   * Revokes the matching sessions and tells the listeners which ended. The ids are read first: a
   * session started between the read and the update is revoked too, but nothing was signed in
   * with it yet.
   */
  private async revokeWhere(where: FindOptionsWhere<Session>): Promise<number> {
    const live = this.endListeners.length > 0 ? await this.sessions.find({ where, select: { id: true, userId: true } }) : [];
    const res = await this.sessions.update(where, { revokedAt: new Date() });
    await this.tellEnded(live.map((s) => ({ id: s.id, userId: s.userId })));
    return res.affected ?? 0;
  }

  private async tellEnded(ended: EndedSession[]): Promise<void> {
    if (ended.length === 0) return;
    for (const listener of this.endListeners) {
      try {
        await listener(ended);
      } catch (err) {
        this.logger.error(`A session-end listener failed (the sessions did end): ${(err as Error).message}`);
      }
    }
  }

  /** Sessions of every user that would authenticate now (for the admin dashboard). */
  countLive(): Promise<number> {
    const now = new Date();
    return this.sessions
      .createQueryBuilder('s')
      .where('s.revoked_at IS NULL AND s.expires_at > :now AND s.last_seen_at > :idleSince', {
        now,
        idleSince: new Date(now.getTime() - this.config.session.idleMs),
      })
      .getCount();
  }

  async revokeAllForUser(userId: string): Promise<number> {
    return this.revokeWhere({ userId, revokedAt: IsNull() });
  }
}

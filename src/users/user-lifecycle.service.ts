import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { Role } from '../auth/roles';
import { keysetPage, Page } from '../common/keyset';
import { escapeLike, LIKE_ESCAPE } from '../common/sql-like';
import { runTransaction } from '../database/transactions';
import { CredentialEpochService } from './credential-epoch.service';
import { LastAdminError } from './last-admin.error';
import { assertHasPassword } from './no-password';
import { UserCredentialRegistry, UserCredentialSource } from './user-credential-source';
import { User, UserStatus } from './user.entity';
import { hasRoleCondition, NewUser, UsersService } from './users.service';

export interface UserSearch {
  q?: string;
  status?: UserStatus;
  role?: string;
}

/**
 * The user lifecycle: create, disable, enable, roles, password reset, delete, revoke-all. The
 * admin API, the admin pages and the CLI all call this, so the rules live once. Changes that
 * could leave no active admin check and apply under a lock of the active admins (see
 * serialised), so two concurrent demotions cannot both pass (LastAdminError, 409).
 */
@Injectable()
export class UserLifecycleService {
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accounts: UsersService,
    private readonly credentials: UserCredentialRegistry,
    private readonly epochs: CredentialEpochService,
  ) {}

  /** Users matching the search, newest first (keyset pages). */
  search(s: UserSearch, limit: number, cursor?: string): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u');
    if (s.q) {
      const like = `%${escapeLike(s.q.trim().toLowerCase())}%`;
      qb.andWhere(`(u.email LIKE :like ${LIKE_ESCAPE} OR LOWER(u.display_name) LIKE :like ${LIKE_ESCAPE})`, { like });
    }
    if (s.status) qb.andWhere('u.status = :status', { status: s.status });
    if (s.role) qb.andWhere(...hasRoleCondition('u', s.role));
    return keysetPage(qb, { time: 'u.created_at', id: 'u.id' }, { limit, cursor }, (u) => ({ time: u.createdAt, id: u.id }));
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundException('No such user');
    return user;
  }

  /**
   * The initial password someone else sets is temporary unless told otherwise (the CLI with an
   * operator-typed password): the user replaces it at first sign-in. 409 on a taken email.
   */
  create(input: NewUser): Promise<User> {
    return this.accounts.create({ ...input, temporaryPassword: input.temporaryPassword ?? true });
  }

  /**
   * Disables the account and ends its sessions; its tokens stop because every strategy checks the
   * status, and the credential epoch moves, so nothing in flight (codes, device codes, refresh
   * families, reset links) works again if the account is enabled later.
   */
  async disable(id: string): Promise<{ user: User; sessionsRevoked: number }> {
    const user = await this.changeGuarded(
      id,
      'disabled',
      () => true,
      async (m, u) => {
        await m.update(User, { id: u.id }, { status: 'disabled', updatedAt: new Date() });
      },
    );
    await this.epochs.bump(id, 'disabled');
    const sessionsRevoked = await this.sessionSource().revokeAllForUser(id);
    return { user: { ...user, status: 'disabled' }, sessionsRevoked };
  }

  async enable(id: string): Promise<User> {
    const user = await this.get(id);
    await this.accounts.setStatus(id, 'active');
    return { ...user, status: 'active' };
  }

  async setRoles(id: string, roles: Role[]): Promise<{ before: string[]; user: User }> {
    const unique = [...new Set(roles)].sort();
    let before: string[] = [];
    const user = await this.changeGuarded(
      id,
      'demoted',
      () => !unique.includes('admin'),
      async (m, u) => {
        before = u.roles;
        await m.update(User, { id: u.id }, { roles: unique, updatedAt: new Date() });
      },
    );
    return { before, user: { ...user, roles: unique } };
  }

  /**
   * Sets a new password (or generates one) and signs the user out everywhere; the password change
   * moves the credential epoch (UsersService.setPassword), so reset links and everything else in
   * flight die with it.
   * @throws NoPasswordByDesignError (409) for a bot or SSO-only account
   */
  async resetPassword(
    id: string,
    password?: string,
    opts: { temporary?: boolean } = {},
  ): Promise<{ temporaryPassword: string | null; sessionsRevoked: number }> {
    assertHasPassword(await this.get(id));
    const temporaryPassword = password ? null : randomBytes(18).toString('base64url');
    // Whoever the admin gave it to must replace it at sign-in: only the user should know their password.
    await this.accounts.setPassword(id, password ?? (temporaryPassword as string), { temporary: opts.temporary ?? true });
    const sessionsRevoked = await this.sessionSource().revokeAllForUser(id);
    return { temporaryPassword, sessionsRevoked };
  }

  /** Deletes the account; its sessions, tokens and grants go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<User> {
    return this.changeGuarded(
      id,
      'deleted',
      () => true,
      async (m, u) => {
        await m.delete(User, { id: u.id });
      },
    );
  }

  /**
   * Incident response: ends every session, token and grant of the user, and (first) moves the
   * credential epoch so that what is still in flight dies too: authorization codes, approved
   * device codes not yet polled, refresh families, reset links. Counts by kind.
   */
  async revokeAllCredentials(id: string, reason = 'revoke_all'): Promise<Record<string, number>> {
    await this.get(id);
    await this.epochs.bump(id, reason);
    const counts: Record<string, number> = {};
    for (const source of this.credentials.all()) counts[source.kind] = await source.revokeAllForUser(id);
    return counts;
  }

  /**
   * Runs `change` in a transaction, refusing it with 409 when the user is an active admin,
   * `removesAdmin` says the change ends that, and no other active admin exists.
   */
  private changeGuarded(
    id: string,
    change: string,
    removesAdmin: (u: User) => boolean,
    apply: (m: EntityManager, u: User) => Promise<void>,
  ): Promise<User> {
    return this.serialised(async (m) => {
      const user = await m.findOneBy(User, { id });
      if (!user) throw new NotFoundException('No such user');
      if (user.status === 'active' && user.roles.includes('admin') && removesAdmin(user)) {
        const admins = await this.lockActiveAdminIds(m);
        if (admins.every((a) => a === user.id)) throw new LastAdminError(user.email, change);
      }
      await apply(m, user);
      return user;
    });
  }

  /**
   * MySQL/MariaDB and PostgreSQL: a transaction (with the admin rows locked, below). SQLite: TypeORM runs every query of
   * the app on one connection, so overlapping transactions fail ("cannot start a transaction
   * within a transaction") and a rollback would take other requests' writes with it; guarded
   * changes are instead queued one at a time in this process, which owns the database file.
   */
  private serialised<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') return runTransaction(this.dataSource, work);
    const run = this.sqliteQueue.then(() => work(this.dataSource.manager));
    this.sqliteQueue = run.catch(() => undefined);
    return run;
  }

  /** The ids of active admins, row-locked (FOR UPDATE) on MySQL and PostgreSQL so concurrent guarded changes serialise. */
  private async lockActiveAdminIds(m: EntityManager): Promise<string[]> {
    const qb = m
      .createQueryBuilder(User, 'u')
      .select('u.id', 'id')
      .where('u.status = :status', { status: 'active' })
      // A bot holding `admin` cannot sign in to administer anything: only people count.
      .andWhere("u.kind = 'person'")
      .andWhere(...hasRoleCondition('u', 'admin'));
    // SQLite has no row locks; serialised() queues guarded changes there instead.
    if (this.dataSource.options.type !== 'better-sqlite3') qb.setLock('pessimistic_write');
    const rows = await qb.getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  private sessionSource(): UserCredentialSource {
    const source = this.credentials.find('session');
    if (!source) throw new Error('The session credential source is not registered');
    return source;
  }
}

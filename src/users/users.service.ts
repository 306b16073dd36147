import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { In, Like, Not, Repository } from 'typeorm';
import { Role } from '../auth/roles';
import { PasswordHasher } from './password-hasher.service';
import { assertHasPassword, noPasswordMarker } from './no-password';
import { User } from './user.entity';
import { isUniqueViolation } from '../database/unique-violation';

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
  /** An initial password someone else chose (an admin, a generated one): replaced at first sign-in. */
  temporaryPassword?: boolean;
}

export interface NewBotUser {
  displayName: string;
  roles: Role[];
}

export interface NewExternalUser {
  email: string;
  displayName: string;
  roles: Role[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
  ) {}

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The users among `ids` that exist (in no particular order). */
  findByIds(ids: readonly string[]): Promise<User[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.users.findBy({ id: In([...ids]) });
  }

  async create(input: NewUser): Promise<User> {
    const now = new Date();
    const user = this.users.create({
      email: normalizeEmail(input.email),
      displayName: input.displayName.trim(),
      passwordHash: await this.hasher.hash(input.password),
      status: 'active',
      kind: 'person',
      roles: input.roles,
      passwordChangedAt: now,
      passwordTemporary: input.temporaryPassword ?? false,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return await this.users.save(user);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictException('A user with this email already exists');
      }
      throw err;
    }
  }

  /**
   * A bot user (kind `bot`): no password, an address under the reserved `.invalid` TLD
   * (RFC 2606) that no mail reaches and no person can hold. The bots module keeps the rest.
   */
  async createBot(input: NewBotUser): Promise<User> {
    const now = new Date();
    return this.users.save(
      this.users.create({
        email: `bot-${randomUUID()}@bots.invalid`,
        displayName: input.displayName.trim(),
        passwordHash: noPasswordMarker('bot'),
        status: 'active',
        kind: 'bot',
        roles: input.roles,
        createdAt: now,
        updatedAt: now,
      }),
    );
  }

  /**
   * A person's account created at their first single sign-on (just in time): no local password,
   * so password sign-in never verifies and password reset does not apply.
   * @throws ConflictException (409) when the email is taken
   */
  async createExternal(input: NewExternalUser): Promise<User> {
    const now = new Date();
    try {
      return await this.users.save(
        this.users.create({
          email: normalizeEmail(input.email),
          displayName: input.displayName.trim().slice(0, 100) || normalizeEmail(input.email),
          passwordHash: noPasswordMarker('sso'),
          status: 'active',
          kind: 'person',
          roles: input.roles,
          createdAt: now,
          updatedAt: now,
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new ConflictException('A user with this email already exists');
      }
      throw err;
    }
  }

  /** Sets a bot's roles (people's roles change through the admin module's guarded path). */
  async setBotRoles(botId: string, roles: Role[]): Promise<void> {
    await this.users.update({ id: botId, kind: 'bot' }, { roles, updatedAt: new Date() });
  }

  /** Deletes a bot user; its rows in other tables go with it (foreign keys cascade). */
  async deleteBot(botId: string): Promise<boolean> {
    const res = await this.users.delete({ id: botId, kind: 'bot' });
    return (res.affected ?? 0) > 0;
  }

  /**
   * Sets the password. `temporary`: someone else chose it (an admin, the CLI's generator); the user
   * must replace it at sign-in. A password change also moves the user's credential epoch (issue 22
   * §1, credential-epoch.ts) in the same UPDATE: every reset link, code, device code, refresh
   * family and access token issued before it stops working, on every instance. Sessions are the
   * caller's to end (a self-service change keeps the session that made it).
   * @throws NotFoundException unknown user
   * @throws NoPasswordByDesignError (409) a bot or SSO-only account: it never gets a password
   */
  async setPassword(userId: string, password: string, opts: { temporary?: boolean } = {}): Promise<void> {
    const user = await this.users.findOne({ where: { id: userId }, select: { id: true, kind: true, passwordHash: true } });
    if (!user) throw new NotFoundException('No such user');
    assertHasPassword(user);
    const passwordHash = await this.hasher.hash(password);
    const now = new Date();
    await this.users.update(
      // The marker is re-checked in the UPDATE itself: nothing turns a no-password account into one with a password.
      { id: userId, kind: 'person', passwordHash: Not(Like('!%')) },
      { passwordHash, passwordChangedAt: now, passwordTemporary: opts.temporary ?? false, credentialsRevokedAt: now, updatedAt: now },
    );
  }

  async setDisplayName(userId: string, displayName: string): Promise<void> {
    await this.users.update({ id: userId }, { displayName: displayName.trim(), updatedAt: new Date() });
  }

  async setStatus(userId: string, status: User['status']): Promise<void> {
    await this.users.update({ id: userId }, { status, updatedAt: new Date() });
  }

  /** How many users there are, how many are active, and how many active users hold `admin`. */
  async counts(): Promise<{ total: number; active: number; activeAdmins: number }> {
    const [total, active, activeAdmins] = await Promise.all([
      this.users.count(),
      this.users.countBy({ status: 'active' }),
      this.users
        .createQueryBuilder('u')
        .where('u.status = :s', { s: 'active' })
        .andWhere(...hasRoleCondition('u', 'admin'))
        .getCount(),
    ]);
    return { total, active, activeAdmins };
  }

  /** Whether any active user holds the admin role. Roles are stored comma-separated. */
  activeAdminExists(): Promise<boolean> {
    return (
      this.users
        .createQueryBuilder('u')
        .where('u.status = :status', { status: 'active' })
        // A bot holding `admin` cannot sign in to administer anything.
        .andWhere("u.kind = 'person'")
        .andWhere(...hasRoleCondition('u', 'admin'))
        .getExists()
    );
  }
}

/**
 * A WHERE condition (and its parameters) matching users holding `role`. Roles are stored
 * comma-separated, and role names contain no LIKE wildcards.
 */
export function hasRoleCondition(alias: string, role: string): [string, Record<string, string>] {
  return [
    `(${alias}.roles = :role OR ${alias}.roles LIKE :roleFirst OR ${alias}.roles LIKE :roleLast OR ${alias}.roles LIKE :roleMid)`,
    { role, roleFirst: `${role},%`, roleLast: `%,${role}`, roleMid: `%,${role},%` },
  ];
}
